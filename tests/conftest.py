import os
import shutil

import pytest

from tests.base import SHARED_DATA, build_wenzhou

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


def pytest_configure(config):
    from django.conf import settings
    from django.test.utils import override_settings

    if settings.configured:
        # The product's hashers, the first at one iteration (tests/hashers.py); override_settings also clears the
        # cache of hashers.
        override_settings(PASSWORD_HASHERS=["tests.hashers.OneIterationPBKDF2PasswordHasher",
                                            *settings.PASSWORD_HASHERS]).enable()


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "browser" in item.keywords:
            # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still sync.
            os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path_factory):
    """Uploads (job input files, PMTiles packages) go to a throwaway folder, never var/media."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture
def wenzhou(db):
    return build_wenzhou()


@pytest.fixture
def wenzhou_counties(db):
    return build_wenzhou(villages=False)


@pytest.fixture
def database_down(transactional_db):
    """Points the connection at a closed loopback port, as when PostgreSQL is stopped."""
    from django.db import connection

    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict["HOST"] = "127.0.0.1"
    connection.settings_dict["PORT"] = "9"  # discard: nothing listens there
    yield
    connection.close()
    connection.settings_dict.clear()
    connection.settings_dict.update(saved)
    connection.connect()


@pytest.fixture
def shared_data():
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is absent (development data, not shipped with the product)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make deps` (Debian package chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def offline_page(page):
    """The page with every request outside the live server refused and recorded (``page.blocked``), as on a
    bureau network; script errors go to ``page.problems`` and console warnings to ``page.warnings``."""
    page.blocked, page.problems, page.warnings = [], [], []

    def only_local(route):
        if route.request.url.startswith(page.base_url):
            route.continue_()
        else:
            page.blocked.append(route.request.url)
            route.abort()

    def console(message):
        if message.type == "error":
            page.problems.append(message.text)
        elif message.type == "warning":
            page.warnings.append(message.text)

    page.route("**/*", only_local)
    page.on("console", console)
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    return page
