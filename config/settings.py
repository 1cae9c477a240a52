"""The one settings module. Every value comes from the environment (see .env.example).

DIMING_PROFILE selects defaults:
``development`` (`make dev`: DEBUG on, runserver, a fixed key),
``local`` (`make run`: the product on one machine, plain HTTP on loopback: DEBUG off, a secret key generated once
under var/, static files served by the app) or
``production`` (behind an HTTPS proxy: DEBUG off, HTTPS-only cookies and HSTS; passes ``manage.py check --deploy``).
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core.env import database_from_url, env_bool, env_float, env_floats, env_int, env_list, env_str, url_of

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("DIMING_VAR_DIR", str(BASE_DIR / "var")))

PROFILE = env_str("DIMING_PROFILE", "development")
if PROFILE not in {"development", "local", "production"}:
    raise ImproperlyConfigured(f"DIMING_PROFILE={PROFILE!r} must be 'development', 'local' or 'production'")
PRODUCTION = PROFILE == "production"
# The app serves its collected static files itself (WhiteNoise) unless it is runserver or the test server.
SERVES_STATIC = PROFILE in {"local", "production"}

DEBUG = env_bool("DJANGO_DEBUG", PROFILE == "development")


def _local_secret_key(path: Path) -> str:
    """The key of an installation on one machine: made once, readable by its owner only, kept across restarts (the
    sessions and signed links made with it stay valid)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    import secrets

    key = secrets.token_urlsafe(50)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(key + "\n")
    return key


SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE) must be set in production")
    if PROFILE == "local":
        SECRET_KEY = _local_secret_key(VAR_DIR / "secret-key")
    else:
        SECRET_KEY = "development-only-key-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz"

# The public origin printed into QR codes and announcements (https://dm.wenzhou.gov.cn, say): under `make run`, also
# the address other computers of the office open, so the one host they may name besides this machine's loopback.
PUBLIC_BASE_URL = env_str("DIMING_PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
try:  # printed on plates and signs that stay on walls for years: refused at start when it is not an address
    _public = urlsplit(PUBLIC_BASE_URL)
    _public_ok = _public.scheme in ("http", "https") and bool(_public.hostname) and _public.port != 0
except ValueError:  # a port that is not a number
    _public_ok = False
if not _public_ok or "?" in PUBLIC_BASE_URL or "#" in PUBLIC_BASE_URL:
    raise ImproperlyConfigured(f"DIMING_PUBLIC_BASE_URL={PUBLIC_BASE_URL!r} is not an address: give it as "
                               "https://dm.wenzhou.gov.cn or http://192.168.1.20:8000 (the QR codes print it)")
# `make run` serving HTTPS itself with the bureau's certificate and its key (PEM, the key PKCS#8: scripts/serving.py)
TLS_CERT = (env_str("DIMING_TLS_CERT", "") or "") if PROFILE == "local" else ""
TLS = bool(TLS_CERT)
_LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
_PUBLIC_HOST = _public.hostname
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", {
    "production": [],
    "local": [*_LOOPBACK_HOSTS, *([_PUBLIC_HOST] if _PUBLIC_HOST and _PUBLIC_HOST not in _LOOPBACK_HOSTS else [])],
}.get(PROFILE, [*_LOOPBACK_HOSTS, "testserver"]))
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework_gis",
    "drf_spectacular",
    "accounts.axes_app.LoginThrottleConfig",  # django-axes, named in Chinese in the admin
    "audit",
    "jobs",
    "boundaries",
    "borders",
    "accounts",
    "placenames",
    "doorplates",
    "canteens",
    "cemeteries",
    "tiles",
    "exports",
    "field",
    "backups",
]

MIDDLEWARE = [
    "config.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "tiles.middleware.PublicTileMiddleware",  # anonymous tiles skip the rest of the stack
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.ChosenLanguageMiddleware",  # Chinese unless English was chosen (not the browser's language)
    "django.middleware.common.CommonMiddleware",
    "config.uploads.UploadLimitMiddleware",  # before the CSRF check reads a form's body
    "config.middleware.StorableTextMiddleware",  # a NUL, a lone surrogate or an oversized JSON body: 400/413 here
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.SignInRefusalMiddleware",  # a script's request after the session ended: 401, not the form
    "audit.idempotency.IdempotencyMiddleware",  # a resent write (Idempotency-Key) is answered, not run, again
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # answers a locked-out login (accounts.backends)
    "config.platform_pages.PlatformAccountPagesMiddleware",  # a platform account: its exports, jobs, map, public pages
]

if SERVES_STATIC:
    # `make run` and production serve the collected static files from the app (WhiteNoise); runserver and the test
    # server use the finders.
    MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                      "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "config" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.navigation.navigation",
            ],
        },
    },
]


def _database() -> dict:
    url = env_str("DATABASE_URL")
    if not url:
        # The private cluster that `make run` starts (scripts/db.sh): reachable only through its Unix socket, in a
        # directory only its owner can enter, under the port it writes here.
        home = (VAR_DIR / "postgres").resolve()
        port = (home / "port").read_text().strip() if (home / "port").exists() else "5432"
        url = url_of({"USER": "diming", "HOST": str(home / "run"), "PORT": port, "NAME": "diming"})
    db = database_from_url(url)
    db["OPTIONS"].setdefault("connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 3))
    # Django turns psycopg's prepared statements off (for transaction-mode poolers). Its own queries bind on the client
    # and are never prepared either way; the tile and tile-cache queries bind on the server and ask to be prepared,
    # which spares PostgreSQL re-planning them for every tile. Set DATABASE_PREPARED_STATEMENTS=false behind a pooler
    # that cannot keep them (PgBouncer before 1.21 in transaction mode).
    if env_bool("DATABASE_PREPARED_STATEMENTS", True):
        db["OPTIONS"].setdefault("prepare_threshold", 5)
    db["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60 if SERVES_STATIC else 0)
    db["CONN_HEALTH_CHECKS"] = True
    db["TEST"] = {"NAME": env_str("DIMING_TEST_DB_NAME", f"test_{db['NAME']}")}
    return db


DATABASES = {"default": _database()}

# Each server process keeps the bytes of the tiles it sent lately, by content digest (tiles.services.BODIES).
TILES_MEMORY_BYTES = env_int("TILES_MEMORY_MB", 64) * 1024 * 1024
# false: this server keeps no tile and looks none up, every tile is drawn for its request (a server that must not
# write, or measuring the drawing itself: bench.tiles).
TILES_CACHE = env_bool("TILES_CACHE", True)
# The tile cache in the database: `manage.py prune_tile_cache` (hourly; the compose file runs it) keeps the newest
# tiles up to this size.
TILES_CACHE_MAX_BYTES = env_int("TILES_CACHE_MAX_MB", 4096) * 1024 * 1024
# The change feed keeps this many days of history whole (`manage.py prune_feed` compacts what is older): platforms
# that fall further behind take a new snapshot.
FEED_KEEP_DAYS = env_int("FEED_KEEP_DAYS", 365)
# Bounds of every change-feed read (exports.sql.Bounds): each of its statements (a chunk of lines) may take this
# long, and the whole stream must end within FEED_STREAM_SECONDS (a reader that stalls past it gets a cut stream,
# without its end record, and resumes from the last transaction number it received).
FEED_STATEMENT_SECONDS = env_int("FEED_STATEMENT_SECONDS", 60)
FEED_STREAM_SECONDS = env_int("FEED_STREAM_SECONDS", 1800)
# Feed reads per minute of a signed-in officer (a platform account has its own limit, set on its consumer).
FEED_READS_PER_MINUTE = env_int("FEED_READS_PER_MINUTE", 60)
# Finished background jobs (and their results) are forgotten after this many days (the worker, hourly).
JOBS_KEEP_DAYS = env_int("JOBS_KEEP_DAYS", 90)
# A running job's heartbeat, in seconds; a job whose heartbeat stopped for 4.5 times this is marked failed.
JOBS_HEARTBEAT_S = env_float("JOBS_HEARTBEAT_S", 10.0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "diming_cache",
        # Past MAX_ENTRIES Django drops a third of the entries, the first by key: the administrators' "told already"
        # marks (backups:…) would go first and their mail be sent again. Rate-limit counts alone could pass 300 in a
        # flood of submissions from many addresses; this many rows is still a small table.
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
CSRF_FAILURE_VIEW = "config.views.csrf_failure"
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LoginThrottle",  # django-axes: refuses a login while its username or address is locked out
    "django.contrib.auth.backends.ModelBackend",
]
# After DIMING_LOGIN_FAILURE_LIMIT wrong passwords for one username, or from one client address, logins (the site's
# and the admin's) are locked out for DIMING_LOGIN_LOCKOUT_MINUTES; a successful login resets the count. API tokens
# are not passwords and are not counted.
AXES_FAILURE_LIMIT = env_int("DIMING_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DIMING_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "core.clientip.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.backends.locked_out"
AXES_RESET_ON_SUCCESS = True
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "config" / "locale"]
TIME_ZONE = "Asia/Shanghai"
# Forms write dates and times into their inputs without losing seconds (config/formats/zh_Hans/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("DIMING_STATIC_ROOT", str(VAR_DIR / "static")))
# Front-end libraries come from npm (package-lock.json) and are served by the project: bureau networks are closed.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [BASE_DIR / "config" / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "config.staticfinders.NodeModulesFinder",
]
# static path -> file under node_modules
DIMING_VENDOR_FILES = {
    "vendor/maplibre-gl/maplibre-gl.js": "maplibre-gl/dist/maplibre-gl.js",
    "vendor/maplibre-gl/maplibre-gl.css": "maplibre-gl/dist/maplibre-gl.css",
    "vendor/pmtiles/pmtiles.js": "pmtiles/dist/pmtiles.js",
    "vendor/chart.js/chart.umd.js": "chart.js/dist/chart.umd.js",
    "vendor/jsqr/jsQR.js": "jsqr/dist/jsQR.js",  # the field app reads QR codes where BarcodeDetector is missing
    "vendor/terra-draw/terra-draw.umd.js": "terra-draw/dist/terra-draw.umd.js",
    "vendor/terra-draw/terra-draw-maplibre-gl-adapter.umd.js":
        "terra-draw-maplibre-gl-adapter/dist/terra-draw-maplibre-gl-adapter.umd.js",
}
STORAGES = {
    "default": {"BACKEND": "core.durable.DurableStorage"},  # each file on the disk before its row commits
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if SERVES_STATIC
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("DIMING_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
# Backups of the database and MEDIA_ROOT (manage.py backup / restore): the worker writes one daily into BACKUP_DIR
# when it is set (the `local` profile of `make run` sets var/backups), keeping the newest BACKUP_KEEP.
BACKUP_DIR = env_str("DIMING_BACKUP_DIR", str(VAR_DIR / "backups") if PROFILE == "local" else "") or ""
BACKUP_KEEP = max(1, env_int("DIMING_BACKUP_KEEP", 14))
# A second place each backup is copied to and checked in (another disk, a mounted network share): a backup on the
# machine's own disk does not survive the disk. The same number is kept there.
BACKUP_COPY_DIR = env_str("DIMING_BACKUP_COPY_DIR", "") or ""
# What a backup (or its copy) must leave free on its disk, or it is not written: under `make run` the backups share
# the disk with the database, which stops when the disk is full.
BACKUP_MIN_FREE = max(0, env_int("DIMING_BACKUP_MIN_FREE_MB", 1024)) * 1_000_000

REST_FRAMEWORK = {
    # The token first: a request with no credentials or a bad token is then a 401 that names the Bearer scheme
    # (DRF takes the WWW-Authenticate header from the first class; the session's has none, which made it a 403).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.drf.SignedIn"],  # platform accounts only where a view opens
    # JSON only: the browsable API's pages are English, show the views' docstrings and render each related field as
    # a list of every record of every region (a doorplate field: up to a thousand plates); /api/schema/ describes it.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.errors.api_exception_handler",
}

# The area a geometry must fall in to be accepted (min lon, min lat, max lon, max lat): Wenzhou plus a margin.
DIMING_SERVICE_AREA = env_floats("DIMING_SERVICE_AREA", (119.3, 26.7, 121.6, 28.9), 4)
# The admin area (code) the installation serves; region scoping and the demo data start from it.
DIMING_CITY_CODE = env_str("DIMING_CITY_CODE", "330300")
# Elderly meals: a village is covered by an open canteen within this walking distance of its service point
# (the 15-minute living circle; local rule, so configurable).
CANTEEN_WALK_URBAN_M = env_int("CANTEEN_WALK_URBAN_M", 1000)
CANTEEN_WALK_RURAL_M = env_int("CANTEEN_WALK_RURAL_M", 1500)
# Reverse proxies (addresses or networks) whose X-Forwarded-For is believed when counting requests per client
# address (core.clientip). Empty: REMOTE_ADDR as it is.
DIMING_TRUSTED_PROXIES = env_list("DIMING_TRUSTED_PROXIES", [])
DIMING_MAX_UPLOAD_MB = env_float("DIMING_MAX_UPLOAD_MB", 200.0)
DATA_UPLOAD_MAX_MEMORY_SIZE = int(DIMING_MAX_UPLOAD_MB * 1024 * 1024)
# A JSON request body (API writes, geometries) larger than this is refused with 413 before it is parsed.
DIMING_MAX_JSON_MB = env_float("DIMING_MAX_JSON_MB", 20.0)
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Scattered graves, visibility from the road: the DEM (a GeoTIFF or an SRTM .hgt; `manage.py load_dem` registers one
# that then takes precedence), observers every CEMETERIES_OBSERVER_SPACING_M metres along a corridor at the driver's
# eye height, a grave mound's height, and how far a driver is taken to see.
CEMETERIES_DEM_PATH = env_str("DIMING_DEM_PATH", "") or ""
CEMETERIES_OBSERVER_SPACING_M = env_float("CEMETERIES_OBSERVER_SPACING_M", 50.0)
CEMETERIES_EYE_HEIGHT_M = env_float("CEMETERIES_EYE_HEIGHT_M", 1.2)
CEMETERIES_GRAVE_HEIGHT_M = env_float("CEMETERIES_GRAVE_HEIGHT_M", 1.0)
CEMETERIES_SIGHT_RADIUS_M = env_float("CEMETERIES_SIGHT_RADIUS_M", 2000.0)
# Citizens' reports of graves (the public page, no login): at most this many per client address per window.
CEMETERIES_REPORT_RATE = (env_int("CEMETERIES_REPORTS_PER_HOUR", 5), 3600)

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    X_FRAME_OPTIONS = "DENY"
else:
    X_FRAME_OPTIONS = "SAMEORIGIN"
    # `make run` over HTTPS (TLS): its cookies never travel in the clear; no HSTS, as a bureau's own certificate is
    # replaced now and then and a browser that pinned HTTPS could not be sent back to plain HTTP
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = TLS

# GDAL before 3.9 cannot block file and network access while parsing spatial references (gis.W001). Here no user
# text reaches a SpatialReference (gis.crs knows its CRSs by name and SRID), uploads are opened only by the driver
# their format names, and GDAL's network is off in every process (gis.gdal_files.lock_down, from boundaries'
# AppConfig; tests/gis/test_gdal_never_reaches_the_network.py), so the check is silenced on such a GDAL only.
os.environ.setdefault("PROJ_NETWORK", "OFF")
SILENCED_SYSTEM_CHECKS = ["gis.W001"] if env_bool("DIMING_ALLOW_OLD_GDAL", True) else []

# Mail to the administrators when the background worker is down or a daily backup fails (said once, not hourly):
# DIMING_ADMINS="it@bureau.example,…" and the bureau's mail server. Django's own mail of each server error stays off
# (LOGGING below): it would carry the request's data, grave owners' names and phones among them.
ADMINS = [(address, address) for address in env_list("DIMING_ADMINS")]
EMAIL_HOST = env_str("DIMING_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DIMING_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("DIMING_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("DIMING_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DIMING_EMAIL_TLS", False)
EMAIL_TIMEOUT = 10
SERVER_EMAIL = env_str("DIMING_EMAIL_FROM", "diming@localhost")
EMAIL_SUBJECT_PREFIX = "[Diming] "

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("DIMING_LOG_LEVEL", "INFO")},
    # axes says it started at INFO in every process, every manage.py command included: noise on an operator's screen
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes.apps": {"level": "WARNING"},
                # Django's own handlers (its mail of each error, its console in DEBUG) replaced by the root's console
                "django": {"handlers": [], "level": "INFO", "propagate": True}},
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Diming REST API",
    "DESCRIPTION": "Place names, doorplates, canteens and the change feed of the user's regions.",
    "VERSION": "1.0.0",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SERVE_INCLUDE_SCHEMA": False,
    # The generated description still lacks the parameters of the office's and the tablets' function views (the feed's
    # and the address search's are given): its warnings are not deployment errors (check --deploy stays clean).
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "core.openapi.describe_errors"],
}
