import os

import pytest
from django.conf import settings

# Under pytest-django the project settings are configured; without it (pytest -p no:django), these tests
# need only enough settings for lazy translated messages to turn into text.
if not settings.configured and not os.environ.get("DJANGO_SETTINGS_MODULE"):
    settings.configure(USE_I18N=False)


@pytest.fixture
def wenzhou_square():
    """A 2 km square polygon in central Wenzhou, as GeoJSON coordinates."""
    return [[[120.65, 28.0], [120.67, 28.0], [120.67, 28.02], [120.65, 28.02], [120.65, 28.0]]]
