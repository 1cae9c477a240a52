"""The admin of the reference data of grave remediation: corridors (a saved line or width re-tags its graves,
cemeteries.signals), protected zones, public cemeteries with their approved prices, campaigns, the citizens' and
crews' reports and the registered DEMs. Graves themselves are kept through the register's pages and API
(cemeteries.services), whose lifecycle the admin would bypass; likewise a report is triaged on its page (the admin
reads it, and deletes only one never triaged or dismissed), and a DEM is registered by `manage.py load_dem`. Every
admin is audited (AuditedAdminMixin) and shows a user only the records of their regions; a report's contact is
shown to officers only, and its photo through the view that checks the reader's right."""

from django import forms
from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.scoping import scope
from audit.admin_mixins import AuditedAdminMixin
from audit.privacy import hidden_from
from boundaries.models import AdminArea
from boundaries.widgets import OfflineMapWidget
from cemeteries.campaign_models import Campaign, ElevationModel, GraveReport, ReportStatus
from cemeteries.models import CemeteryPrice, Corridor, PublicCemetery, Zone


@admin.register(Corridor)
class CorridorAdmin(AuditedAdminMixin, GISModelAdmin):
    gis_widget = OfflineMapWidget
    list_display = ["name", "kind", "road_class", "band_width", "source", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["name", "road_class"]
    fields = ["name", "kind", "road_class", "buffer_m", "geom", "source"]

    @admin.display(description=_("band width (m)"))
    def band_width(self, obj):
        return obj.band_m


@admin.register(Zone)
class ZoneAdmin(AuditedAdminMixin, GISModelAdmin):
    gis_widget = OfflineMapWidget
    list_display = ["name", "kind", "source", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["name", "source"]
    fields = ["name", "kind", "geom", "source"]


class PriceInline(admin.TabularInline):
    model = CemeteryPrice
    extra = 1


@admin.register(PublicCemetery)
class PublicCemeteryAdmin(AuditedAdminMixin, GISModelAdmin):
    gis_widget = OfflineMapWidget
    list_display = ["name", "area", "capacity", "free_plots", "eco_burials", "relocated"]
    search_fields = ["name"]
    fields = ["name", "geom", "capacity", "free_plots", "eco_burials", "operator", "note", "source"]
    inlines = [PriceInline]

    @admin.display(description=_("relocated graves"))
    def relocated(self, obj):
        return obj.relocated_graves.count()

    def save_model(self, request, obj, form, change):
        # the admin area follows the location, as a grave's does
        obj.area = AdminArea.objects.finest_containing(obj.geom) or AdminArea.objects.order_by("code12").first()
        super().save_model(request, obj, form, change)


class CampaignAdminForm(forms.ModelForm):
    """A campaign's period and target; a new one takes the remediable graves of its band (cemeteries.campaigns), its
    target defaulting to all of them. Its corridor and band are fixed once it holds graves."""

    target = forms.IntegerField(label=_("target (graves remediated)"), required=False, min_value=0,
                                max_value=1_000_000, help_text=_("empty: every remediable grave in the band"))

    class Meta:
        model = Campaign
        fields = ["name", "corridor", "band_m", "area", "starts_on", "deadline", "target", "note", "source"]

    def clean(self):
        data = super().clean()
        starts_on, deadline = data.get("starts_on"), data.get("deadline")
        if starts_on and deadline and deadline <= starts_on:
            self.add_error("deadline", _("The deadline must come after the start."))
        band = data.get("band_m")
        if band is not None and not 1 <= band <= 5000:
            self.add_error("band_m", _("The band must be between 1 and 5000 metres."))
        if self.instance.pk and data.get("target") is None:
            self.add_error("target", _("Give the campaign a target."))
        return data


@admin.register(Campaign)
class CampaignAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = CampaignAdminForm
    list_display = ["name", "corridor", "band_m", "area", "starts_on", "deadline", "target", "held"]
    list_filter = ["corridor"]
    search_fields = ["name", "corridor__name"]
    readonly_fields = ["held", "created_by", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        fixed = ["corridor", "band_m"] if obj is not None else []
        return [*fixed, *self.readonly_fields]

    @admin.display(description=_("graves"))
    def held(self, obj):
        return obj.graves.count() if obj.pk else 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "area":
            kwargs["queryset"] = scope(AdminArea.objects.filter(level__in=("city", "county")), request.user, "")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        from cemeteries.campaigns import visible_campaigns

        return super().get_queryset(request).filter(pk__in=visible_campaigns(request.user).values("pk"))

    def save_model(self, request, obj, form, change):
        graves = []
        if not change:
            from cemeteries.campaigns import graves_in_band

            graves = list(graves_in_band(obj.corridor, obj.band_m).values_list("pk", flat=True))
            if obj.target is None:
                obj.target = len(graves)
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if graves:
            obj.graves.add(*graves)


@admin.register(GraveReport)
class GraveReportAdmin(AuditedAdminMixin, GISModelAdmin):
    """Reports read and deleted here (spam: only one never triaged, or dismissed); triaged on their page."""

    gis_widget = OfflineMapWidget
    list_display = ["short", "kind", "source", "status", "area", "submitted_at", "grave"]
    list_filter = ["status", "kind", "source"]
    search_fields = ["description", "area__name"]
    date_hierarchy = "submitted_at"
    FIELDS = ["uuid", "source", "kind", "status", "geom", "area", "description", "photo_link", "contact", "reporter",
              "submitted_at", "grave", "triaged_by", "triaged_at", "triage_note", "triage_page"]

    @admin.display(description=_("report id"))
    def short(self, obj):
        return str(obj.uuid)[:8]

    @admin.display(description=_("photo"))
    def photo_link(self, obj):
        if not obj.photo:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("cemeteries:report_photo", args=[obj.uuid]), _("photo"))

    @admin.display(description=_("triage page"))
    def triage_page(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("cemeteries:report_detail", args=[obj.uuid]),
                           _("Triage this report"))

    def get_fields(self, request, obj=None):
        hidden = hidden_from(request.user, GraveReport)
        return [f for f in self.FIELDS if f not in hidden]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def get_search_fields(self, request):
        return self.search_fields  # never the contact

    def get_queryset(self, request):
        from cemeteries.reports import triage_queue

        return triage_queue(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status not in (ReportStatus.NEW, ReportStatus.DISMISSED):
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        from audit.models import Action
        from audit.services import record, snapshot

        # audited as the report was when it came in: without the reporter's contact (cemeteries.reports)
        record(obj, Action.DELETE, actor=request.user, before=snapshot(obj, exclude=("contact",)), after=None,
               reason=str(_("done in the data administration")))
        photo = obj.photo
        admin.ModelAdmin.delete_model(self, request, obj)
        if photo:
            photo.delete(save=False)

    def delete_queryset(self, request, queryset):
        for obj in queryset.filter(status__in=(ReportStatus.NEW, ReportStatus.DISMISSED)):
            self.delete_model(request, obj)


@admin.register(ElevationModel)
class ElevationModelAdmin(AuditedAdminMixin, GISModelAdmin):
    """The DEMs `manage.py load_dem` registered (the newest whose file is there is used). Read here; deleting one
    goes back to the one before (or DIMING_DEM_PATH) and queues every corridor's visibility again."""

    gis_widget = OfflineMapWidget
    list_display = ["path", "driver", "width", "height", "cell_m", "registered_at", "in_use"]
    fields = readonly_fields = ["path", "driver", "crs", "width", "height", "cell_m", "bounds", "registered_at",
                                "registered_by", "in_use"]

    @admin.display(description=_("DEM in use"), boolean=True)
    def in_use(self, obj):
        from cemeteries.terrain import current_dem

        used = current_dem()
        return used is not None and str(used) == obj.path

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self._recount(request)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            AuditedAdminMixin.delete_model(self, request, obj)
        self._recount(request)

    def _recount(self, request):
        from cemeteries.sights import schedule_all
        from cemeteries.terrain import current_dem

        if current_dem() is not None:
            schedule_all(actor=request.user)
