from django.apps import AppConfig


class BoundariesConfig(AppConfig):
    name = "boundaries"
    verbose_name = "行政区划"

    def ready(self):
        from gis import gdal_files

        # Every process that loads the apps (site, worker, commands) gets GDAL's network switched off at start;
        # boundaries is the app every other one builds on, so it is loaded wherever GDAL can be.
        gdal_files.lock_down()
