from django import forms
from django.contrib.gis.db.models import GeometryField
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import record, snapshot

SEEN = "seen_version"


def _versioned(model) -> bool:
    return any(f.name == "version" for f in model._meta.concrete_fields)


def _guarded(form_class, model):
    """``form_class`` with the version the form was opened on (hidden) and a check that it is still current."""

    def clean(self):
        data = form_class.clean(self)
        current = model._default_manager.filter(pk=self.instance.pk).values_list("version", flat=True).first()
        if data is not None and data.get(SEEN) != current:
            raise ValidationError(_("Someone else changed this record meanwhile: reload it and try again."),
                                  code="stale_version")
        return data

    attrs = {SEEN: forms.IntegerField(widget=forms.HiddenInput, required=False), "clean": clean}
    return type(form_class)(form_class.__name__, (form_class,), attrs)


def _keep_unchanged_geometries(obj, old, form) -> None:
    """A map widget sends its geometry back through JavaScript numbers (120.04299999999999 comes back 120.043): a
    geometry the form found unchanged (within its tolerance) keeps its stored coordinates to the last digit."""
    for field in obj._meta.concrete_fields:
        if isinstance(field, GeometryField) and field.name in form.fields and field.name not in form.changed_data:
            setattr(obj, field.attname, getattr(old, field.attname))


class AuditedAdminMixin:
    """Records every add, edit and delete made through the admin in the audit log, with before and after. A
    versioned record's form carries the version it was opened on: a save over a change made meanwhile (in the
    admin, a page or the API) is refused, and a save raises the version (audit.preconditions for the API)."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        if kwargs.get("fields"):
            kwargs["fields"] = [name for name in kwargs["fields"] if name != SEEN]
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None or not _versioned(self.model):
            return form
        guarded = _guarded(form, self.model)
        guarded.base_fields[SEEN].initial = obj.version
        return guarded

    def save_model(self, request, obj, form, change):
        if change and _versioned(type(obj)):
            obj.version += 1
        before = None
        if change and obj.pk:
            old = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = snapshot(old) if old else None
            if old is not None:
                _keep_unchanged_geometries(obj, old, form)
        super().save_model(request, obj, form, change)
        record(obj, Action.UPDATE if change else Action.CREATE, actor=request.user, before=before,
               reason=_("done in the data administration"))

    def delete_model(self, request, obj):
        before = snapshot(obj)
        record(obj, Action.DELETE, actor=request.user, before=before, after=None, reason=_("done in the data administration"))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
