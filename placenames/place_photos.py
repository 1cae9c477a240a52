"""Photos of a place (地名照片): the region's officers add and remove them on the place's office page, a crew's
photos of the place come with the rural name it collected when the office approves it (placenames.rural_tasks),
and the public gazetteer page shows them (placenames.gazetteer).

An upload is accepted like a sign's photo (core.uploads: an image by its content, at most 10 MB, stored without its
EXIF, GPS position and comments; its hash is the clean bytes'). A crew's photo is the field upload itself, by its
content's hash (as a grave's photos are): its bytes are not stored twice, and a photo is on a place once. Removing a
crew's photo leaves the upload to the field app, which owns it. The tablet's photos carry no metadata (it encodes them
anew); one that does (another client of the field API) goes onto the public page as a clean copy, this app's file.
"""

from __future__ import annotations

from pathlib import PurePath

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import Role
from accounts.scoping import require_area
from audit.models import Action
from audit.services import record, snapshot
from core import images, uploads
from core.params import within
from gis.errors import Conflict, NotFound
from placenames.models import Place, PlacePhoto
from placenames.services import get_place
from placenames.signs import PHOTO_MAX_BYTES

MAX_PHOTOS = 30  # on one place: the page is a gazetteer entry, not an album
OWN_FOLDER = "placenames/places/"  # PlacePhoto.file's upload_to: the files this app stores (and deletes)


def _editable(user, uuid) -> Place:
    place = get_place(user, uuid)
    require_area(user, place.area, roles=(Role.OFFICER,))
    return place


def _audit(photo: PlacePhoto, action: str, actor, **kwargs) -> None:
    photo.area = photo.place.area  # the audit row's region is the place's
    record(photo, action, actor=actor, **kwargs)


@transaction.atomic
def add_photo(user, place_uuid, upload, caption: str = "") -> PlacePhoto:
    """An officer's photo of a place in their region."""
    place = _editable(user, place_uuid)
    upload = uploads.accept_photo(upload, field="photo", max_bytes=PHOTO_MAX_BYTES)
    digest = uploads.sha256_of(upload)
    if place.photos.filter(sha256=digest).exists():
        raise Conflict(_("This photo is on the place already."), code="duplicate_photo", where={"field": "photo"})
    if place.photos.count() >= MAX_PHOTOS:
        raise Conflict(_("A place has at most %(n)s photos: remove one first.") % {"n": MAX_PHOTOS},
                       code="too_many_photos", where={"field": "photo"})
    photo = PlacePhoto.objects.create(place=place, file=upload, caption=within(caption, 100, _("The caption"), "caption"),
                                      sha256=digest)
    _audit(photo, Action.CREATE, user)
    return photo


@transaction.atomic
def remove_photo(user, photo_id) -> Place:
    """Takes a photo off its place (an officer of the place's region); the file of an officer's upload (or of a crew
    photo's clean copy) goes too."""
    photo = PlacePhoto.objects.select_related("place__area").filter(pk=photo_id).first()
    if photo is None:
        raise NotFound(_("No such photo."), code="not_found")
    place = _editable(user, photo.place_id)
    before = snapshot(photo)
    _audit(photo, Action.DELETE, user, before=before)
    name, storage = photo.file.name, photo.file.storage
    shared = photo.from_field and not name.startswith(OWN_FOLDER)  # the field upload itself: the field app's
    photo.delete()
    if not shared and not PlacePhoto.objects.filter(file=name).exists():
        transaction.on_commit(lambda: storage.delete(name))
    return place


def attach_field_photos(actor, place: Place, photos) -> list[PlacePhoto]:
    """A crew's photos of the place, ``photos`` being (stored file name, sha256) of field uploads; each once."""
    made = []
    for name, digest in photos:
        if not name or place.photos.filter(sha256=digest).exists():
            continue
        photo = PlacePhoto(place=place, file=name, sha256=digest, from_field=True)
        clean = _clean_copy(photo.file)
        if clean is not None:
            photo.file = clean  # stored under OWN_FOLDER by save(); the field upload stays as the device sent it
        photo.save()
        _audit(photo, Action.CREATE, actor)
        made.append(photo)
    return made


def _clean_copy(stored) -> ContentFile | None:
    """The field upload's bytes without their metadata, when it has some; None when it has none or cannot be walked
    (the field app checked only its first bytes: such a file is shown as it always was)."""
    try:
        with stored.open("rb") as handle:
            data = handle.read()
        clean = images.without_metadata(data)
    except (OSError, images.Damaged):
        return None
    return None if clean is data else ContentFile(clean, name=PurePath(stored.name).name)


def public_photos(place: Place, limit: int = 12):
    return place.photos.order_by("at", "id")[:limit]
