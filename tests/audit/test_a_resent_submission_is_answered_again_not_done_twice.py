"""A tablet that lost the answer resends its queued submission with the same Idempotency-Key: it gets the first
answer again, and nothing is done twice. Another submission under a used key is refused; the key is in the audit
log of what the submission changed."""

import json

import pytest
from rest_framework.test import APIClient

from accounts.models import ApiToken
from audit.models import Change
from canteens.models import Canteen
from doorplates.models import Doorplate
from tests.base import lucheng_officer, make_user
from tests.canteens.builders import lonlat
from tests.doorplates.builders import make_plate, make_road, point_at

pytestmark = pytest.mark.django_db
API = "/canteens/api/canteens/"


def canteen_feature(name="望江老年食堂", x=100, y=100) -> dict:
    lon, lat = lonlat(x, y)
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"name": name, "kind": "canteen"}}


def signed_in(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def test_a_resent_registration_gets_the_first_answer_and_creates_one_canteen(canteens):
    client = signed_in(lucheng_officer())

    first = client.post(API, canteen_feature(), format="json", HTTP_IDEMPOTENCY_KEY="tablet-7:42")
    again = client.post(API, canteen_feature(), format="json", HTTP_IDEMPOTENCY_KEY="tablet-7:42")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    created = Canteen.objects.get(name="望江老年食堂")
    assert Change.objects.for_object(created).get().client_ref == "tablet-7:42"


def test_a_used_key_with_another_submission_is_refused(canteens):
    client = signed_in(lucheng_officer())
    client.post(API, canteen_feature(), format="json", HTTP_IDEMPOTENCY_KEY="tablet-7:43")

    other = client.post(API, canteen_feature("另一个食堂"), format="json", HTTP_IDEMPOTENCY_KEY="tablet-7:43")

    assert other.status_code == 422 and other.json()["error"]["code"] == "idempotency_key_reused"
    assert not Canteen.objects.filter(name="另一个食堂").exists()


def test_a_refused_submission_is_refused_again_and_keys_belong_to_their_caller(canteens):
    officer = lucheng_officer()
    client = signed_in(officer)
    outside = canteen_feature(x=20000)  # in 瑞安市: outside the officer's region

    first = client.post(API, outside, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    again = client.post(API, outside, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    platform = make_user("another", "officer", "330381")
    _token, raw = ApiToken.issue(platform, "tablet")
    by_token = APIClient().post(API, outside, format="json", HTTP_IDEMPOTENCY_KEY="k1",
                                HTTP_AUTHORIZATION=f"Bearer {raw}")

    assert first.status_code == again.status_code == 403 and again["Idempotent-Replayed"] == "true"
    assert by_token.status_code == 201  # the same key from another caller is theirs
    assert Canteen.objects.filter(name="望江老年食堂").count() == 1


def test_a_resent_plate_move_is_not_a_conflict_with_itself(wenzhou_counties):
    road = make_road("解放街")
    plate = make_plate(road, 88, 300, 10)
    client = signed_in(lucheng_officer())
    lon, lat = point_at(road, 320, 10).coords
    body = json.dumps({"lon": lon, "lat": lat, "crs": "EPSG:4490", "version": plate.version})

    first = client.patch(f"/doorplates/api/plates/{plate.pk}/", body, content_type="application/json",
                         HTTP_IDEMPOTENCY_KEY="crew-3:9")
    again = client.patch(f"/doorplates/api/plates/{plate.pk}/", body, content_type="application/json",
                         HTTP_IDEMPOTENCY_KEY="crew-3:9")
    without_key = client.patch(f"/doorplates/api/plates/{plate.pk}/", body, content_type="application/json")

    assert first.status_code == again.status_code == 200 and again.json() == first.json()
    assert Doorplate.objects.get(pk=plate.pk).version == plate.version + 1  # moved once
    assert without_key.status_code == 409  # the same body without a key is a stale edit, as before


def test_the_same_json_reformatted_is_the_same_submission(canteens):
    client = signed_in(lucheng_officer())
    feature = canteen_feature("重排的食堂")
    compact = json.dumps(feature, ensure_ascii=False, separators=(",", ":"))
    spaced = json.dumps(dict(reversed(list(feature.items()))), ensure_ascii=True, indent=2)

    first = client.generic("POST", API, compact, content_type="application/json", HTTP_IDEMPOTENCY_KEY="t-9:1")
    again = client.generic("POST", API, spaced, content_type="application/json", HTTP_IDEMPOTENCY_KEY="t-9:1")

    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert Canteen.objects.filter(name="重排的食堂").count() == 1
