from django import forms
from django.contrib import admin
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from audit.admin_mixins import AuditedAdminMixin
from exports.models import Consumer, ExportLog, FeedTransaction
from exports.profiles import PROFILES
from gis.layers import exportable_layers


class ConsumerForm(forms.ModelForm):
    """Layers and format as choices, not JSON and codes (a platform is registered on /exports/platforms/)."""

    layers = forms.MultipleChoiceField(label=_("allowed layers"), required=False,
                                       widget=forms.CheckboxSelectMultiple)
    profile = forms.ChoiceField(label=_("default profile"), required=False)

    class Meta:
        model = Consumer
        fields = ["name", "profile", "layers", "areas", "requests_per_minute", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["layers"].choices = [(layer.name, layer.title) for layer in exportable_layers()]
        self.fields["profile"].choices = [("", "—"), *((p.name, p.title) for p in PROFILES.values())]


@admin.register(Consumer)
class ConsumerAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = ConsumerForm
    list_display = ["name", "user", "profile", "requests_per_minute", "active", "created_at"]
    list_filter = ["active", "profile"]
    search_fields = ["name", "user__username"]
    filter_horizontal = ["areas"]
    readonly_fields = ["user"]

    def add_view(self, request, form_url="", extra_context=None):
        # Registering a platform also creates its account and its token: one page does the three.
        return redirect("exports:platforms")


@admin.register(ExportLog)
class ExportLogAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "consumer", "kind", "profile", "layer", "area_code", "records", "warnings",
                    "seconds"]
    list_filter = ["kind", "profile", "layer"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FeedTransaction)
class FeedTransactionAdmin(admin.ModelAdmin):
    list_display = ["txid", "committed_at", "batch"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
