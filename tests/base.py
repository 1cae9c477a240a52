"""Named actors and builders shared by every test. Real PostGIS; no fixture files."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.gis.geos import Point
from django.test import Client

from accounts.models import AreaAssignment
from accounts.roles import Role
from boundaries.demo import build_area_specs
from boundaries.models import AdminArea
from boundaries.services import save_demo_areas

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

# Points well inside the demo counties (EPSG:4490, lon/lat).
LUCHENG_POINT = (120.655, 28.015)
RUIAN_POINT = (120.60, 27.80)
TAISHUN_POINT = (119.85, 27.50)


def point(lon: float, lat: float) -> Point:
    return Point(lon, lat, srid=4490)


def image_bytes(kind: str = "PNG", seed: int = 0, size: tuple[int, int] = (8, 6), **save) -> bytes:
    """A real, decodable image of ``kind`` (a Pillow format), its pixels distinct per seed; ``save`` goes to Pillow
    (``exif=``, ``icc_profile=``, ``pnginfo=``...)."""
    import io
    import random

    from PIL import Image

    noise = random.Random(seed)
    picture = Image.new("RGB", size)
    picture.putdata([(noise.randrange(256), noise.randrange(256), noise.randrange(256))
                     for _ in range(size[0] * size[1])])
    if kind == "GIF":
        picture = picture.convert("P")
    out = io.BytesIO()
    picture.save(out, kind, **save)
    return out.getvalue()


def build_wenzhou(*, villages: bool = True, scale: float = 0.6) -> dict[str, AdminArea]:
    """The synthetic demo Wenzhou (city, 12 counties, townships, and villages unless told otherwise)."""
    specs = build_area_specs(scale)
    if not villages:
        specs = [s for s in specs if s.level != "village"]
    return save_demo_areas(specs)


def area(code: str) -> AdminArea:
    return AdminArea.objects.get(code=code)


def make_user(username: str, role: str | None = None, *area_codes: str, superuser: bool = False, password="pw-123456!"):
    User = get_user_model()
    if superuser:
        user = User.objects.create_superuser(username=username, password=password, email="")
    else:
        user = User.objects.create_user(username=username, password=password)
    if role:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    for code in area_codes:
        AreaAssignment.objects.create(user=user, area=AdminArea.objects.get(code=code))
    return user


def lucheng_officer():
    return make_user("lucheng_officer", Role.OFFICER, "330302")


def ruian_officer():
    return make_user("ruian_officer", Role.OFFICER, "330381")


def lucheng_reviewer():
    return make_user("lucheng_reviewer", Role.REVIEWER, "330302")


def city_reviewer():
    return make_user("city_reviewer", Role.REVIEWER, "330300")


def taishun_field_crew():
    return make_user("taishun_field", Role.FIELD_CREW, "330329")


def platform_consumer():
    return make_user("amap", Role.PLATFORM_CONSUMER, "330300")


def administrator():
    return make_user("admin", Role.ADMIN, superuser=True)


def sign_in(page, user) -> None:
    """The session of ``user`` in the browser (in place of any other), without the login form's slow password hash."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": page.base_url,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])


def click_at(page, map_name: str, selector: str, lonlat):
    """Clicks the MapLibre map ``map_name`` (a window global) where ``lonlat`` is drawn, once it is ready."""
    page.wait_for_selector(f"{selector}[data-ready='1']")
    x, y = page.evaluate(f"(() => {{ const p = {map_name}.project({list(lonlat)}); return [p.x, p.y]; }})()")
    box = page.locator(selector).bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def login(page, username: str, password: str = "pw-123456!"):
    page.goto(page.base_url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    follow(page, "main button[type=submit]")


def follow(page, target, *, timeout: float = 60_000) -> None:
    """Clicks ``target`` (a selector or a locator: a form's button, a link) and returns once the page it leads to has
    loaded. A click may return before the browser has even asked for that page, and waiting for the network to go idle
    then returns at once: the assertions after it read the old page for their 5 s, while a loaded machine answered the
    form later (a walk read its draft's state after submitting it, at load 9)."""
    locator = page.locator(target) if isinstance(target, str) else target
    with page.expect_navigation(timeout=timeout):
        locator.click(no_wait_after=True)  # the navigation's wait, not the click's own 15 s one
