from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils.translation import gettext_lazy as _


class DoorplatesConfig(AppConfig):
    name = "doorplates"
    verbose_name = _("Doorplates")

    def ready(self):
        from boundaries.models import AdminArea
        from doorplates import renames
        from doorplates.addresses import forget_base_names, forget_gazetteer
        from placenames.roads import Road

        # Addresses name areas: a renamed or new area must be read by the next parse.
        post_save.connect(forget_gazetteer, sender=AdminArea, dispatch_uid="doorplates.gazetteer.save")
        post_delete.connect(forget_gazetteer, sender=AdminArea, dispatch_uid="doorplates.gazetteer.delete")
        # Village and residential-area names too (a Place of any kind: the parser reads the kinds it needs).
        post_save.connect(forget_base_names, sender=Road, dispatch_uid="doorplates.base_names.save")
        post_delete.connect(forget_base_names, sender=Road, dispatch_uid="doorplates.base_names.delete")
        # A renamed road or area renames its plates' addresses (doorplates.renames).
        for model in (Road, AdminArea):
            pre_save.connect(renames.remember_names, sender=model, dispatch_uid=f"doorplates.renames.{model.__name__}")
        post_save.connect(renames.follow_road, sender=Road, dispatch_uid="doorplates.renames.road")
        post_save.connect(renames.follow_area, sender=AdminArea, dispatch_uid="doorplates.renames.area")
