"""Serves a whitelist of files from node_modules under static/vendor/.

Front-end libraries come from npm (package-lock.json); only the built files the pages use are published, not the
thousands of module sources next to them.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage


def _entries():
    root = Path(settings.NODE_MODULES)
    for public, source in settings.DIMING_VENDOR_FILES.items():
        path = root / source
        if path.is_file():
            yield public, path


class NodeModulesFinder(BaseFinder):
    def find(self, path, find_all=False, **kwargs):
        matches = [str(source) for public, source in _entries() if public == path]
        if find_all or kwargs.get("all"):
            return matches
        return matches[0] if matches else []

    def list(self, ignore_patterns):
        for public, source in _entries():
            storage = FileSystemStorage(location=str(source.parent))
            storage.prefix = str(Path(public).parent)
            yield source.name, storage
