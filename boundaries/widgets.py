from django.contrib.gis.forms.widgets import OpenLayersWidget


class OfflineMapWidget(OpenLayersWidget):
    """Django's OpenLayers widget with OpenLayers served by the project and the county outlines as basemap.

    Bureau networks reach no CDN and no public tile server, so the stock widget (jsDelivr + NASA tiles) shows
    nothing there.
    """

    template_name = "boundaries/map_widget.html"
    default_zoom = 9
    default_lon = 120.65
    default_lat = 27.85

    class Media:
        extend = False  # the parent's media point at jsDelivr
        css = {"all": ("vendor/ol/ol.css", "gis/css/ol3.css")}
        js = ("vendor/ol/ol.js", "gis/js/OLMapWidget.js")

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.attrs.setdefault("default_lon", self.default_lon)
        self.attrs.setdefault("default_lat", self.default_lat)
        self.attrs.setdefault("default_zoom", self.default_zoom)
