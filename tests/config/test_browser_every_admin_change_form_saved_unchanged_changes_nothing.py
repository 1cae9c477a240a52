"""In a browser: every change form of the data administration (one record of each registered model, from the demo),
opened by an administrator and saved without touching anything, is accepted and leaves its record exactly as it was:
its stored fields (geometries included, to the last digit) and its many-to-many links. A model registered later is
covered as soon as the demo holds one of its records."""

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

from audit.services import snapshot
from tests.base import administrator, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The rows migrations seed, which an earlier transactional test may have flushed: the demo needs them.
SEEDS = [("accounts", "0002_roles", "create_groups"), ("placenames", "0002_place_kinds", "create_kinds"),
         ("placenames", "0004_naming_words", "seed"), ("placenames", "0008_place_categories", "seed")]


def _seed_again() -> None:
    from importlib import import_module

    from django.apps import apps

    for app, migration, function in SEEDS:
        try:
            getattr(import_module(f"{app}.migrations.{migration}"), function)(apps, None)
        except Exception:  # noqa: BLE001 - already there (the database was not flushed)
            pass

# Every map widget of the form has drawn its geometry and its base map's tiles (map_widget.js).
MAPS_DRAWN = "[...document.querySelectorAll('.diming-map-widget-map')].every(m => m.dataset.ready === '1')"

# Fields a save stamps by design.
VOLATILE = {"version", "updated_at", "modified_at", "last_login"}


def state(model, pk) -> dict:
    record = model._default_manager.get(pk=pk)
    fields = {k: v for k, v in snapshot(record).items() if k not in VOLATILE}
    links = {f.name: sorted(getattr(record, f.name).values_list("pk", flat=True))
             for f in model._meta.many_to_many}
    return {"fields": fields, "links": links}


@pytest.fixture
def forms(db):
    _seed_again()
    call_command("load_demo", scale=0.05, verbosity=0)
    user = administrator()
    found = []
    for model in admin.site._registry:
        record = model._default_manager.order_by("pk").first()
        if record is None:
            continue
        try:
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[record.pk])
        except NoReverseMatch:
            continue
        found.append((model, record.pk, url))
    return user, found


def test_every_admin_change_form_saved_unchanged_leaves_its_record_unchanged(offline_page, forms):
    user, found = forms
    assert len(found) >= 10, [m._meta.label for m, _, _ in found]
    page = offline_page
    login(page, user.username)
    refused, changed = [], []
    for model, pk, url in found:
        before = state(model, pk)
        page.goto(page.base_url + url)
        save = page.locator("input[name=_save]")
        if save.count() == 0:  # a view-only model: nothing to save
            continue
        # Its maps drawn first, as the administrator sees them before saving: a Save clicked while their tiles still
        # load queues behind them (six connections to a host) and waited past 15 s for its answer at load 9.
        page.wait_for_function(MAPS_DRAWN, timeout=60_000)
        save.click()
        page.wait_for_load_state("load")
        if page.locator(".errornote, .errorlist").count():
            refused.append((model._meta.label, page.locator(".errornote, .errorlist").all_inner_texts()))
            continue
        after = state(model, pk)
        if after != before:
            changed.append((model._meta.label, {
                k: (before["fields"].get(k), after["fields"].get(k))
                for k in before["fields"] if before["fields"][k] != after["fields"].get(k)}, before["links"],
                after["links"]))
    assert not refused, refused
    assert not changed, changed
    assert not page.problems, page.problems
