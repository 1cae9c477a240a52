"""A power cut right after a commit must not leave a row whose file is empty or missing: an uploaded file, a crew's
chunk and a backup are flushed to the disk (the file, then its folder's entry) before the row or the name that
counts them. Watched at the system call: every fsync is recorded with the path it flushed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from backups import archive
from field.models import Upload
from placenames.models import PlacePhoto
from tests.base import build_wenzhou, lucheng_officer
from tests.field.builders import crew_and_officers, jpeg, sha, upload
from tests.placenames.builders import place
from tests.registry.test_signs_go_through_their_lifecycle import PNG

pytestmark = pytest.mark.django_db


@pytest.fixture
def flushed(monkeypatch):
    """The paths fsync was called on, in order."""
    paths: list[Path] = []
    real = os.fsync

    def fsync(fd):
        paths.append(Path(os.readlink(f"/proc/self/fd/{fd}")))
        return real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    return paths


def test_an_uploaded_photo_and_its_folders_are_flushed(client, wenzhou_counties, settings, tmp_path, flushed):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    village = place("苍坡村", kind="village")
    client.force_login(lucheng_officer())
    client.post(f"/placenames/places/{village.pk}/photos/",
                {"photo": SimpleUploadedFile("村口.png", PNG, content_type="image/png")})
    stored = Path(PlacePhoto.objects.get().file.path)
    assert stored in flushed and stored.parent in flushed and tmp_path / "media" in flushed
    assert flushed.index(stored) < flushed.index(stored.parent)


def test_each_chunk_of_a_crew_s_photo_is_flushed_before_its_offset_counts(client, settings, tmp_path, flushed):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    build_wenzhou(villages=False)
    crew, *_ = crew_and_officers()
    client.force_login(crew)
    photo = jpeg(250_000, seed=3)
    assert upload(client, photo, chunk=100_000).status_code == 204
    partial = tmp_path / "media" / "field" / "uploads" / f"{sha(photo)}.part"
    assert flushed.count(partial) == 3  # one flush a chunk
    final = Path(settings.MEDIA_ROOT) / Upload.objects.get(sha256=sha(photo)).file.name
    assert flushed[-1] == final.parent  # the rename that completes it


@pytest.mark.django_db(transaction=True)
def test_a_backup_is_flushed_whole_before_it_is_named_complete(settings, tmp_path, flushed):
    settings.BACKUP_DIR, settings.MEDIA_ROOT, settings.BACKUP_MIN_FREE = str(tmp_path / "daily"), tmp_path / "m", 0
    made = archive.make_backup()
    partial = made.path.with_name(f".{made.path.name}.partial")
    for part in ("database.dump", "media.tar", "manifest.json"):
        assert partial / part in flushed
    assert flushed.index(partial) > max(flushed.index(partial / p) for p in ("database.dump", "media.tar"))
    assert flushed[-1] == tmp_path / "daily"  # the rename


def test_an_offline_package_is_flushed_whole_before_it_takes_its_name(settings, tmp_path, flushed):
    """A crew downloads what the name points at: after a power cut the name must hold the whole archive."""
    from tiles.pmtiles_export import export_area

    settings.MEDIA_ROOT = str(tmp_path / "media")
    build_wenzhou(villages=False)
    made = export_area("330302", (8, 9))
    partial = made.path.with_name(made.path.name + ".part")
    assert flushed[-2:] == [partial, made.path.parent]  # the archive's bytes, then the rename in its folder
