#!/usr/bin/env python3
"""Run a command with the settings `make service` keeps for the service in var/service.env (DIMING_BACKUP_COPY_DIR,
DIMING_BACKUP_DIR, DATABASE_URL...), so that a backup or a restore typed by hand goes where the service's go. A
variable already set in the environment wins. Without var/service.env the command runs as it is.
    scripts/service_env.py .venv/bin/python manage.py backup
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

SERVICE_ENV = Path(__file__).resolve().parent.parent / "var" / "service.env"
# KEY="value" with \\ and \" escaped, as scripts/service.sh writes them for systemd's EnvironmentFile.
LINE = re.compile(r'([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"')


def service_variables(path: Path = SERVICE_ENV) -> dict[str, str]:
    if not path.is_file():
        return {}
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = LINE.fullmatch(line.strip())
        if match:
            found[match[1]] = re.sub(r"\\(.)", r"\1", match[2])
    return found


def main(argv: list[str]) -> None:
    if not argv:
        sys.exit(__doc__)
    for key, value in service_variables().items():
        os.environ.setdefault(key, value)
    os.execvp(argv[0], argv)


if __name__ == "__main__":
    main(sys.argv[1:])
