import io

import pytest
from django.core.management import call_command

from gis.layers import all_layers, exportable_layers

pytestmark = pytest.mark.django_db


def test_every_layer_of_the_registry_has_its_table_watched():
    out = io.StringIO()
    call_command("feed_capture", stdout=out)

    watched = {name for line in out.getvalue().splitlines() if ": " in line
               for name in line.split(": ", 1)[1].split(", ")}
    assert {layer.name for layer in exportable_layers()} <= watched
    assert not {layer.name for layer in all_layers() if layer.internal} & watched  # internal layers never leave
    assert "placenames_place: places, roads" in out.getvalue()
    # a layer's joined tables are watched too: an admin area's code reaches the places in it
    assert any(line.startswith("boundaries_adminarea:") and "doorplates" in line
               for line in out.getvalue().splitlines())
