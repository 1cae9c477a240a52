from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BoundariesConfig(AppConfig):
    name = "boundaries"
    verbose_name = _("Administrative areas")

    def ready(self):
        from gis import gdal_files

        # Every process that loads the apps (site, worker, commands) gets GDAL's network switched off at start;
        # boundaries is the app every other one builds on, so it is loaded wherever GDAL can be.
        gdal_files.lock_down()

        from django.db.models.signals import post_save

        from boundaries import topology
        from boundaries.models import AdminArea, BoundaryLine, BoundaryMarker

        # Topology is checked after each boundary edit, once per transaction at commit (boundaries.topology).
        post_save.connect(topology.on_area_saved, sender=AdminArea, dispatch_uid="topology_area")
        post_save.connect(topology.on_line_or_marker_saved, sender=BoundaryLine, dispatch_uid="topology_line")
        post_save.connect(topology.on_line_or_marker_saved, sender=BoundaryMarker, dispatch_uid="topology_marker")
