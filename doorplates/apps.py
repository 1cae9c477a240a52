from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class DoorplatesConfig(AppConfig):
    name = "doorplates"
    verbose_name = "门牌"

    def ready(self):
        from boundaries.models import AdminArea
        from doorplates.addresses import forget_gazetteer

        # Addresses name areas: a renamed or new area must be read by the next parse.
        post_save.connect(forget_gazetteer, sender=AdminArea, dispatch_uid="doorplates.gazetteer.save")
        post_delete.connect(forget_gazetteer, sender=AdminArea, dispatch_uid="doorplates.gazetteer.delete")
