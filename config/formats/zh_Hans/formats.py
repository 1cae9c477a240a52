"""Django's Simplified Chinese formats, with the formats a form writes into its inputs made lossless.

A form renders a value with the first of its *_INPUT_FORMATS. Django's zh_Hans lists "%H:%M" first, so every time and
date-time shown in a form lost its seconds, and a form saved unchanged rewrote 16:19:12 as 16:19:00. ISO dates come
first too: the browser's date inputs read only YYYY-MM-DD. Reading still accepts every format Django's zh_Hans does."""

from django.conf.locale.zh_Hans import formats as _django
from django.conf.locale.zh_Hans.formats import *  # noqa: F403

DATE_INPUT_FORMATS = ["%Y-%m-%d", *(f for f in _django.DATE_INPUT_FORMATS if f != "%Y-%m-%d")]
TIME_INPUT_FORMATS = ["%H:%M:%S", *(f for f in _django.TIME_INPUT_FORMATS if f != "%H:%M:%S")]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S", *(f for f in _django.DATETIME_INPUT_FORMATS if f != "%Y-%m-%d %H:%M:%S")]
