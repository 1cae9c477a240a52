"""The server's WSGI application answers anonymous requests for cached tiles before Django (tiles.fastlane). It
must answer them exactly as the view would (every header, security headers included), never serve a tile an edit
has deleted, and leave everything else to Django: signed-in viewers, tokens, misses, errors. What it learns of the
middleware's part in an answer (once per kind) must never differ from what the middleware would add."""

import gzip
import io

import pytest
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings

from boundaries.models import AdminArea
from tests.base import LUCHENG_POINT, lucheng_officer
from tests.tiles.builders import add_points, decode, point_layer, temporary_layer, tile_at, url
from tiles.fastlane import TileFastLane

pytestmark = pytest.mark.django_db
LUCHENG = (120.6551, 28.0152)


class Answer:
    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes):
        self.status_code = int(status.split()[0])
        self.header_list = sorted(headers)
        self.headers = dict(headers)
        self.content = body

    def __getitem__(self, name):
        return self.headers[name]

    def get(self, name, default=None):
        return self.headers.get(name, default)


def call(path: str, *, method: str = "GET", app=None, https: bool = False, **headers) -> Answer:
    """One request through the WSGI application a server runs (config.wsgi), not Django's test client."""
    if app is None:
        from config.wsgi import application as app
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "testserver",
               "SERVER_PORT": "443" if https else "80", "HTTP_HOST": "testserver", "wsgi.input": io.BytesIO(),
               "wsgi.url_scheme": "https" if https else "http", "wsgi.errors": io.StringIO(),
               "SERVER_PROTOCOL": "HTTP/1.1"}
    environ.update({f"HTTP_{name.upper()}": value for name, value in headers.items()})
    started = {}

    def start_response(status, response_headers, exc_info=None):
        started["status"], started["headers"] = status, response_headers

    # As Django's test client does: the test's connection holds the test's transaction and must stay open.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        chunks = app(environ, start_response)
        try:
            body = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return Answer(started["status"], started["headers"], body)


def names(answer) -> set[str]:
    body = gzip.decompress(answer.content) if answer.get("Content-Encoding") == "gzip" else answer.content
    return {f["properties"]["name"] for layer in decode(body).values() for f in layer}


COUNTY_TILE = url("counties", *tile_at(*LUCHENG_POINT, 9))


def both_paths(path, *, app=None, **headers) -> tuple[Answer, Answer]:
    """The same request through the lane (config.wsgi, or ``app``) and through Django alone (the tile middleware and
    view). The lane is asked twice, and its second answer compared: the first of a kind goes the whole way through
    Django's request and middleware, the next ones are answered from what the lane learned of it."""
    call(path, app=app, **headers)
    from_lane = call(path, app=app, **headers)
    from_django = call(path, app=get_wsgi_application(), **headers)
    return from_lane, from_django


def test_a_cached_tile_comes_from_the_lane_with_the_views_bytes_and_headers(client, wenzhou_counties):
    first = call(COUNTY_TILE, accept_encoding="gzip")
    from_lane = call(COUNTY_TILE, accept_encoding="gzip")
    from_view = client.get(COUNTY_TILE, HTTP_ACCEPT_ENCODING="gzip")

    assert first["X-Tile-Cache"] == "miss"
    assert from_lane.status_code == 200 and from_lane["X-Tile-Cache"] == "hit"
    assert from_lane.content == from_view.content == first.content
    assert from_lane["Content-Length"] == str(len(from_lane.content))
    assert "鹿城区" in names(from_lane)


@pytest.mark.parametrize("asked", [
    {"accept_encoding": "gzip"},
    {"accept_encoding": "identity"},
    {"method": "HEAD", "accept_encoding": "gzip"},
    {"if_none_match": "kept"},
])
def test_every_header_of_the_lane_is_the_one_django_sends_for_a_hit_a_304_and_a_head(wenzhou_counties, asked):
    kept = call(COUNTY_TILE)
    if asked.get("if_none_match") == "kept":
        asked = {"if_none_match": kept["ETag"]}

    from_lane, from_django = both_paths(COUNTY_TILE, **asked)

    assert from_lane["X-Tile-Cache"] == from_django["X-Tile-Cache"] == "hit"
    assert from_lane.status_code == from_django.status_code == (304 if "if_none_match" in asked else 200)
    assert from_lane.header_list == from_django.header_list
    names_sent = {name for name, _value in from_lane.header_list}
    assert {"Referrer-Policy", "Cross-Origin-Opener-Policy", "X-Content-Type-Options", "ETag"} <= names_sent
    if asked.get("method") != "HEAD":
        assert from_lane.content == from_django.content


@override_settings(SECURE_HSTS_SECONDS=3600, SECURE_HSTS_INCLUDE_SUBDOMAINS=True, SECURE_REFERRER_POLICY="no-referrer")
def test_over_https_both_paths_send_the_same_security_headers(wenzhou_counties):
    lane = TileFastLane(get_wsgi_application())
    call(COUNTY_TILE, app=lane, https=True)

    from_lane, from_django = both_paths(COUNTY_TILE, app=lane, https=True)

    assert from_lane["X-Tile-Cache"] == "hit" and lane.learned
    assert from_lane.header_list == from_django.header_list
    assert from_lane["Strict-Transport-Security"] == "max-age=3600; includeSubDomains"
    assert from_lane["Referrer-Policy"] == "no-referrer"
    plain = call(COUNTY_TILE, app=lane)  # another kind: learned apart, no HSTS over plain HTTP
    assert plain["X-Tile-Cache"] == "hit" and "Strict-Transport-Security" not in plain.headers


@override_settings(SECURE_HSTS_SECONDS=60, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_behind_a_proxy_the_lane_reads_the_scheme_as_django_does(wenzhou_counties):
    lane = TileFastLane(get_wsgi_application())
    call(COUNTY_TILE, app=lane)

    for proto in ("https", "http", "https, http"):
        from_lane, from_django = both_paths(COUNTY_TILE, app=lane, x_forwarded_proto=proto)
        assert from_lane.header_list == from_django.header_list, proto
        assert ("Strict-Transport-Security" in from_lane.headers) == proto.startswith("https"), proto


class EchoMiddleware:
    """Middleware that answers each request with something of its own: the lane cannot learn what it adds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["X-Echo"] = request.META.get("HTTP_X_ECHO", "")
        return response


def test_behind_middleware_it_does_not_know_the_lane_runs_it_for_every_request(wenzhou_counties, settings):
    settings.MIDDLEWARE = [__name__ + ".EchoMiddleware", *settings.MIDDLEWARE]
    lane = TileFastLane(get_wsgi_application())
    call(COUNTY_TILE, app=lane)

    answers = [call(COUNTY_TILE, app=lane, x_echo=said) for said in ("one", "two", "three")]

    assert [a["X-Echo"] for a in answers] == ["one", "two", "three"]
    assert all(a["X-Tile-Cache"] == "hit" for a in answers) and not lane.learned


def test_a_learned_answer_carries_each_tiles_own_tag_length_and_bytes(wenzhou_counties):
    lane = TileFastLane(get_wsgi_application())
    tiles = [COUNTY_TILE, *(url("counties", *tile_at(*LUCHENG_POINT, z)) for z in (8, 10, 11))]
    for path in tiles:
        call(path, app=lane, accept_encoding="gzip")  # kept
    call(tiles[0], app=lane, accept_encoding="gzip")  # learned

    for path in tiles:
        from_lane = call(path, app=lane, accept_encoding="gzip")
        from_django = call(path, app=get_wsgi_application(), accept_encoding="gzip")
        assert from_lane.header_list == from_django.header_list and from_lane.content == from_django.content
    assert len({call(path, app=lane)["ETag"] for path in tiles}) == len(tiles)


def test_the_lane_answers_a_matching_etag_with_304_and_head_without_a_body(wenzhou_counties):
    kept = call(COUNTY_TILE)
    kept = call(COUNTY_TILE)

    again = call(COUNTY_TILE, if_none_match=kept["ETag"])
    head = call(COUNTY_TILE, method="HEAD")

    assert kept["X-Tile-Cache"] == "hit"
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == kept["ETag"]
    assert head.status_code == 200 and head.content == b"" and head["ETag"] == kept["ETag"]


def test_after_an_edit_the_lane_never_serves_the_old_tile(wenzhou_counties):
    call(COUNTY_TILE)
    assert call(COUNTY_TILE)["X-Tile-Cache"] == "hit"

    AdminArea.objects.filter(code="330302").update(name="鹿城新区")

    fresh = call(COUNTY_TILE)
    assert fresh["X-Tile-Cache"] == "miss"
    assert "鹿城新区" in names(fresh) and "鹿城区" not in names(fresh)


def test_a_signed_in_viewer_gets_their_own_variant_not_the_cached_public_tile(client, wenzhou_counties,
                                                                             test_points):
    with temporary_layer(point_layer()):
        add_points([("鹿城点", *LUCHENG)], phone="13800000001", area=AdminArea.objects.get(code="330302"))
        tile = url("testpoints", *tile_at(*LUCHENG, 16))
        call(tile)
        assert call(tile)["X-Tile-Cache"] == "hit"  # the public tile is cached
        client.force_login(lucheng_officer())

        signed_in = call(tile, cookie=f"csrftoken=x; sessionid={client.cookies['sessionid'].value}")

        assert signed_in["Cache-Control"] == "private, no-cache"
        phones = [f["properties"].get("phone") for f in decode(signed_in.content)["testpoints"]]
        assert phones == ["13800000001"]
        anonymous = call(tile, cookie="csrftoken=x")
        assert anonymous["X-Tile-Cache"] == "hit" and b"13800000001" not in anonymous.content


def test_errors_and_misses_are_left_to_django(wenzhou_counties):
    assert call(url("nosuchlayer", 9, 427, 214)).status_code == 404
    assert call(url("counties", 9, 512, 0)).status_code == 400
    posted = call(COUNTY_TILE, method="POST")
    assert posted.status_code in (403, 405) and "X-Tile-Cache" not in posted.headers


def test_a_token_request_is_left_to_django_which_checks_the_token(wenzhou_counties):
    call(COUNTY_TILE)

    answer = call(COUNTY_TILE, authorization="Bearer not-a-real-token")

    assert answer.status_code == 401


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_HSTS_SECONDS=3600, SECURE_HSTS_INCLUDE_SUBDOMAINS=False,
                   SECURE_HSTS_PRELOAD=False)
def test_when_https_is_required_plain_http_is_redirected_and_https_gets_hsts(wenzhou_counties):
    app = TileFastLane(get_wsgi_application())
    call(COUNTY_TILE, app=app, https=True)

    plain = [call(COUNTY_TILE, app=app) for _ in range(3)]
    secure = [call(COUNTY_TILE, app=app, https=True) for _ in range(3)]

    assert all(a.status_code == 301 and a["Location"].startswith("https://") for a in plain)
    assert all(a["X-Tile-Cache"] == "hit" and a["Strict-Transport-Security"] == "max-age=3600" for a in secure)


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_REDIRECT_EXEMPT=[r"^tiles/counties/9/"])
def test_a_path_exempt_from_the_https_redirect_teaches_the_lane_nothing_about_the_others(wenzhou_counties):
    app = TileFastLane(get_wsgi_application())
    other = url("counties", *tile_at(*LUCHENG_POINT, 10))
    for path in (COUNTY_TILE, other):
        call(path, app=app, https=True)

    exempt = [call(COUNTY_TILE, app=app) for _ in range(2)]
    redirected = call(other, app=app)

    assert all(a.status_code == 200 and a["X-Tile-Cache"] == "hit" for a in exempt)
    assert redirected.status_code == 301


def test_with_the_database_down_a_tile_request_gets_a_json_503_not_a_traceback(database_down):
    for answer in (call(COUNTY_TILE), call(COUNTY_TILE, cookie="sessionid=a-logged-in-officer")):
        assert answer.status_code == 503
        assert b"database_unavailable" in answer.content and b"Traceback" not in answer.content
