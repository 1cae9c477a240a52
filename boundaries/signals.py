"""What boundaries tells the layers above it, which it does not import (the audit log listens, see audit.receivers)."""

from django.dispatch import Signal

# Sent by an import of a code list (boundaries.services.import_divisions) after it saved an area, in the same
# transaction, with ``area``, ``before`` (an unsaved copy of the area as it was; None when the import created it),
# ``actor`` and ``reason`` (the import's source label).
area_imported = Signal()
