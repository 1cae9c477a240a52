"""The upload limit (DIMING_MAX_UPLOAD_MB) for every request body, files included.

Django bounds a body it reads into memory (DATA_UPLOAD_MAX_MEMORY_SIZE) but streams a file of any size to disk.
A body whose declared length passes the limit is answered 413 before anything reads it; under WSGI Django never
reads more than the declared length, so the declared length is what bounds the upload.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from config.middleware import ViewCheckMiddleware, declared_length, refusal
from gis.errors import DimingError

MULTIPART_SLACK = 1 << 20  # a form's other fields and boundaries around a file of the full size


class PayloadTooLarge(DimingError):
    code = "payload_too_large"
    http_status = 413


class UploadLimitMiddleware(ViewCheckMiddleware):
    """Listed before CsrfViewMiddleware, whose check is the first to read a form's body."""

    def process_view(self, request, view, args, kwargs):
        length = declared_length(request)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if length <= limit + MULTIPART_SLACK:
            return None
        return refusal(request, PayloadTooLarge(
            _("The upload is %(size).1f MB; at most %(max).0f MB are accepted.")
            % {"size": length / (1 << 20), "max": limit / (1 << 20)},
            hint=_("Split the file, or save a workbook as CSV, which is smaller.")))
