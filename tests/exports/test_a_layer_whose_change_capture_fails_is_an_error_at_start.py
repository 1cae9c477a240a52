"""A layer whose change capture cannot be built, or is not installed, is an error when the product starts (the
database system checks that `migrate` and `check --database default` run), never a logged warning and a silent
hole in the feed."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from exports import sql
from exports.checks import every_layer_reaches_the_feed
from gis.layers import exportable_layers
from tests.tiles.builders import point_layer, temporary_layer

pytestmark = pytest.mark.django_db


def test_with_every_capture_installed_the_check_passes():
    assert every_layer_reaches_the_feed(databases=["default"]) == []
    call_command("check", databases=["default"])


def test_a_layer_whose_capture_cannot_be_built_fails_the_install_and_the_check():
    with temporary_layer(point_layer("brokenpoints", properties=("name", "no_such_column"))):
        with pytest.raises(sql.CaptureFailed, match="brokenpoints"):
            sql.install_capture()
        errors = every_layer_reaches_the_feed(databases=["default"])
        with pytest.raises(SystemCheckError, match="exports.E001"):
            call_command("check", databases=["default"])

    assert [(e.id, e.obj) for e in errors] == [("exports.E001", "brokenpoints")]


def test_a_layer_without_its_capture_in_the_database_fails_the_check():
    sql.uninstall_capture()

    errors = every_layer_reaches_the_feed(databases=["default"])

    assert {e.id for e in errors} == {"exports.E002"}
    assert {e.obj for e in errors} == {layer.name for layer in exportable_layers()}
    sql.install_capture()
    assert every_layer_reaches_the_feed(databases=["default"]) == []
