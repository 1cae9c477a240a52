import re

import pytest
from django.contrib import admin
from django.contrib.gis.db import models as gis_models
from django.test import RequestFactory

from tests.base import administrator

EXTERNAL = re.compile(r"""(?:src|href)=["']?(?:https?:)?//""")


@pytest.mark.django_db
def test_no_admin_form_pulls_scripts_or_styles_from_another_host(wenzhou_counties):
    request = RequestFactory().get("/admin/")
    request.user = administrator()
    checked = 0
    for model, model_admin in admin.site._registry.items():
        if not any(isinstance(f, gis_models.GeometryField) for f in model._meta.get_fields()):
            continue
        form = model_admin.get_form(request)()
        media = str(form.media) + str(model_admin.media)
        assert not EXTERNAL.search(media), f"{model.__name__} admin loads {EXTERNAL.search(media).group(0)}…"
        checked += 1
    assert checked >= 4  # areas, places, doorplates, canteens at least
