from django import forms
from django.utils.translation import gettext_lazy as _

from placenames.models import ApplicationType, PlaceKind


class ApplicationForm(forms.Form):
    type = forms.ChoiceField(label=_("Application type"), choices=ApplicationType.choices,
                             initial=ApplicationType.NAMING)
    # Picked by name through the search box beside it (placenames/static/placenames/place_picker.js).
    place = forms.UUIDField(label=_("Place to rename or cancel"), required=False, widget=forms.HiddenInput)
    kind = forms.ModelChoiceField(label=_("Kind"), queryset=PlaceKind.objects.all(), to_field_name="code",
                                  required=False)
    proposed_name = forms.CharField(label=_("Proposed name"), max_length=100, required=False)
    specific = forms.CharField(label=_("Specific term (leave empty to split automatically)"), max_length=80,
                               required=False)
    generic = forms.CharField(label=_("Generic term"), max_length=20, required=False)
    pinyin = forms.CharField(label=_("Romanization (leave empty to generate; an entry here is kept)"),
                             max_length=200, required=False)
    meaning = forms.CharField(label=_("Meaning"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    origin = forms.CharField(label=_("Origin"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    location_description = forms.CharField(label=_("Location description"), required=False,
                                           widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(label=_("Reason for the application"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    applicant = forms.CharField(label=_("Applicant"), max_length=200, required=False)
    geom = forms.CharField(label=_("Geometry (draw on the map, or GeoJSON / WKT in CGCS2000)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3, "class": "geometry-input"}))

    def clean(self):
        data = super().clean()
        # A browser sends a textarea's line breaks as CR LF: stored as LF, a draft saved unchanged stays unchanged.
        return {k: v.replace("\r\n", "\n") if isinstance(v, str) else v for k, v in data.items()}


class PublicObjectionForm(forms.Form):
    text = forms.CharField(label=_("Your objection"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))
    name = forms.CharField(label=_("Your name (not published)"), max_length=60, required=False)
    contact = forms.CharField(label=_("Phone or e-mail (not published)"), max_length=100, required=False)
