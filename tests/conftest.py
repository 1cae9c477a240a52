import os
import shutil
import threading
import time

import pytest
from playwright.sync_api import expect

from tests.base import SHARED_DATA, build_wenzhou

# A page's assertions wait as long as its actions (the page fixture's 15 s), not Playwright's 5 s: on a loaded machine a
# form's answer or a map's tiles come seconds late, and an assertion that gives up first fails a page that works.
expect.set_options(timeout=15_000)

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


def pytest_xdist_make_scheduler(config, log):
    """`-n 2` (xdist's load distribution): each worker takes the next run of consecutive tests of one module (or
    class) when it has two tests or fewer left, so the workers end together and a module's fixtures are built on one
    worker only, where xdist's own chunks of a fixed share of the list leave one worker idle at the end while the
    other still holds a few minutes of tests. Every worker still runs its tests in the collection order that
    pytest-django gives (tests in transactions, then transactional ones, then the rest: a transactional test flushes
    the rows migrations seed). Each benchmark smoke run is a run of its own."""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ConsecutiveRuns(LoadScopeScheduling):
        runs: dict[str, str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self.runs is None:
                self.runs, previous, count = {}, None, 0
                for test in self.collection:
                    parts = test.split("::")
                    scope = test if test.startswith("tests/bench/") else "::".join(parts[:-1])
                    if scope != previous:
                        count, previous = count + 1, scope
                    self.runs[test] = f"{count}:{scope}"
            return self.runs[nodeid]

    config.option.loadscopereorder = False  # the runs in collection order, not the largest first
    return ConsecutiveRuns(config, log)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "browser" in item.keywords:
            # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still sync.
            os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


PRISTINE = pytest.StashKey[str]()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_keepdb, django_db_blocker, request):
    """pytest-django's test database; when the session holds benchmark smoke runs (tests/bench) and the database was
    just made, a copy of it as migrations left it, before any test wrote to it or flushed it: the template those runs
    copy their databases from (see ``pristine_database``), where they would otherwise migrate one more database."""
    from django.db import connection

    made = connection.settings_dict["NAME"] == connection.settings_dict["TEST"]["NAME"]  # none when no test needs it
    if django_db_keepdb or not made or not any(item.get_closest_marker("bench") for item in request.session.items):
        yield
        return
    import psycopg
    from psycopg import sql

    params = {**connection.get_connection_params(), "dbname": "postgres", "autocommit": True}
    params.pop("cursor_factory", None)
    params.pop("context", None)
    source = connection.settings_dict["NAME"]
    name = f"{source}_pristine"
    with django_db_blocker.unblock(), psycopg.connect(**params) as admin:
        connection.close()  # a template has no other session
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(source)))
    request.config.stash[PRISTINE] = name
    yield
    with psycopg.connect(**params) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


@pytest.fixture(scope="session")
def pristine_database(django_db_setup, request) -> str | None:
    """The name of the copy of the freshly migrated test database (``django_db_setup``), or None (--reuse-db)."""
    return request.config.stash.get(PRISTINE, None)


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


class ServerRequests:
    """The requests the live server's threads are answering. A page closed at a test's end leaves the server answering
    what it had asked for (a map's tiles); the flush that ends a transactional test then takes its locks table after
    table while those requests hold theirs, and PostgreSQL ends the deadlock by failing the flush, which leaves the
    test's rows to the next test on that worker."""

    def __init__(self):
        self.count = 0
        self.changed = threading.Condition()

    def started(self, **kwargs):
        if threading.current_thread() is not threading.main_thread():  # the test's own client answers in its thread
            with self.changed:
                self.count += 1
                self.changed.notify_all()

    def finished(self, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            with self.changed:
                self.count = max(0, self.count - 1)
                self.changed.notify_all()

    def wait_until_quiet(self, quiet: float = 0.3, limit: float = 30.0) -> bool:
        """Waits until no request has been in flight for ``quiet`` seconds; False after ``limit`` seconds."""
        deadline = time.monotonic() + limit
        with self.changed:
            while time.monotonic() < deadline:
                if self.count:
                    self.changed.wait(deadline - time.monotonic())
                elif not self.changed.wait(quiet):
                    return True
        return False


SERVER_REQUESTS = ServerRequests()


@pytest.fixture(autouse=True)
def live_server_quiet_before_flush(request):
    """For a test with the live server: set up after pytest-django's database fixtures, so torn down before their
    flush, it waits for the server to finish every request the test's pages left behind."""
    if "live_server" not in request.fixturenames:
        yield
        return
    from django.core.signals import request_finished, request_started

    request_started.connect(SERVER_REQUESTS.started, dispatch_uid="tests.server_requests.started")
    request_finished.connect(SERVER_REQUESTS.finished, dispatch_uid="tests.server_requests.finished")
    yield
    if not SERVER_REQUESTS.wait_until_quiet():
        pytest.fail("the live server was still answering requests 30 s after the test ended")


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
