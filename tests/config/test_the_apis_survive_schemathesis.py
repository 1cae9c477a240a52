"""Schemathesis sends requests generated from each API's own OpenAPI description (valid ones, and invalid ones
built to break the described types) through the WSGI application, over a small city with data in every layer:
no answer is a 5xx, and every answer has a described status and the described shape. A bounded number of
examples per operation keeps the run short; the seed is fixed, so a failure reproduces."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, seed, strategies
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from accounts.models import ApiToken
from tests.base import lucheng_officer
from tests.exports.builders import canteen, doorplate, place

pytestmark = pytest.mark.django_db
EXAMPLES = 15  # per operation, valid and invalid
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


def refused_in_the_one_shape(ctx, response, case):
    """A 4xx answer is the product's one error shape (core.errors), which the REST API's description names for every
    operation's 4XX (core.openapi)."""
    if 400 <= response.status_code < 500 and case.method != "HEAD":
        body = response.json()
        error = body.get("error") if isinstance(body, dict) else None
        assert isinstance(error, dict) and set(body) == {"error"} and error.get("code") and error.get("message"), (
            f"{case.method} {case.formatted_path} answered {response.status_code} {response.text[:200]}")


# The REST API's description is generated (drf-spectacular) and does not yet describe its GeoJSON lists or the query
# parameters of its function views: "no 5xx" and the shape of its refusals are checked there.
REST_CHECKS = [not_a_server_error, refused_in_the_one_shape]


def application():
    from config.wsgi import django_application

    return django_application


# Schemathesis asks for gzip as an HTTP client does, and its WSGI transport, unlike one, does not undo it: the
# answers are asked for uncompressed (the compressed ones are tested where they are made: feed, items, packages).
PLAIN = {"Accept-Encoding": "identity"}


def exercise(schema, checks=CHECKS, examples=EXAMPLES, **call) -> dict[str, int]:
    """Runs every operation of ``schema``; answers how many requests each one got."""
    call["headers"] = {**PLAIN, **call.get("headers", {})}
    tried: dict[str, int] = {}
    for result in schema.get_all_operations():
        operation = result.ok()

        @seed(20261202)
        @hypothesis_settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                             suppress_health_check=list(HealthCheck))
        @given(case=strategies.one_of(*(operation.as_strategy(generation_mode=mode) for mode in GenerationMode)))
        def run(case):
            tried[case.operation.label] = tried.get(case.operation.label, 0) + 1
            case.call_and_validate(checks=checks, **call)

        run()
    print(f"schemathesis: {sum(tried.values())} requests over {len(tried)} operations")
    return tried


@pytest.fixture(autouse=True)
def connection_kept():
    """Django closes the connection at each request's start and end; the test's transaction lives on it (the test client
    disconnects the same signal while it serves a request)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def city(wenzhou_counties):
    road = place("解放街")
    doorplate(road, 1)
    canteen("五马食堂", seats=40)
    return road


def test_the_ogc_api_answers_every_generated_request_as_described(city):
    schema = schemathesis.openapi.from_wsgi("/ogc/api", application())

    tried = exercise(schema)

    assert len(tried) >= 10


def test_the_rest_api_answers_every_generated_request_without_a_server_error(city):
    _token, raw = ApiToken.issue(lucheng_officer(), "schemathesis")
    bearer = {"Authorization": f"Bearer {raw}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application(), headers=bearer)

    tried = exercise(schema, headers=bearer, checks=REST_CHECKS, examples=8)

    assert len(tried) >= 40
