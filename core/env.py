"""Typed readers for environment variables.

Every variable the product reads is listed in .env.example. A bad value raises ImproperlyConfigured naming the
variable, so a deployment fails at start-up with a message an operator can act on.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    """A string, or the content of the file named by NAME_FILE (for secrets mounted as files)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_name!r} cannot be read: {exc}") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no, on/off)")


def env_int(name: str, default: int) -> int:
    return _env_number(name, default, int, "an integer")


def env_float(name: str, default: float) -> float:
    return _env_number(name, default, float, "a number")


def _env_number(name: str, default, parse, what: str):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return parse(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not {what}") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_floats(name: str, default: tuple[float, ...], count: int) -> tuple[float, ...]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        values = tuple(float(v) for v in raw.split(","))
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a comma-separated list of numbers") from exc
    if len(values) != count:
        raise ImproperlyConfigured(f"{name}={raw!r} needs {count} numbers, got {len(values)}")
    return values


def database_from_url(url: str, *, variable: str = "DATABASE_URL") -> dict:
    """postgis://user:password@host:port/name?sslmode=require -> a Django DATABASES entry. The host may be the
    directory of a Unix socket, percent-encoded (postgis://user@%2Fsrv%2Fpg%2Frun:5432/name), kept as written."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgis", "postgres", "postgresql"}:
        raise ImproperlyConfigured(f"{variable} must start with postgis:// or postgres://, got {parts.scheme!r}")
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ImproperlyConfigured(f"{variable} names no database (postgis://user@host:port/NAME)")
    options = dict(parse_qsl(parts.query))
    try:
        port = parts.port
    except ValueError as exc:
        raise ImproperlyConfigured(f"{variable} has a bad port: {exc}") from exc
    return {
        "ENGINE": "django.contrib.gis.db.backends.postgis",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": _host(parts),
        "PORT": str(port or ""),
        "OPTIONS": options,
    }


def _host(parts) -> str:
    """The URL's host: a name or address as urlsplit reads it, or a socket directory with its letters' case kept
    (urlsplit lowers the case of host names)."""
    written = unquote(parts.netloc.rpartition("@")[2])
    if written.startswith("/"):
        return written.rsplit(":", 1)[0] if parts.port is not None else written
    return unquote(parts.hostname or "")


def url_of(settings_dict: dict, scheme: str = "postgis") -> str:
    """A Django DATABASES entry -> its URL (for other processes: servers, pg_dump, benchmark peers); a socket
    directory as host is percent-encoded, as database_from_url reads it back."""
    s = settings_dict
    auth = quote(s["USER"], safe="") + (f":{quote(s['PASSWORD'], safe='')}" if s.get("PASSWORD") else "")
    host = s.get("HOST") or "127.0.0.1"
    host = quote(host, safe="") if host.startswith("/") else host
    return f"{scheme}://{auth}@{host}:{s.get('PORT') or 5432}/{quote(s['NAME'], safe='')}"
