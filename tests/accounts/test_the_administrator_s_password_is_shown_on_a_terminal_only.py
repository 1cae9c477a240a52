"""`make run` creates the administrator and tells the password it generated: on a terminal it is printed; under
`make service` what is printed goes to the system journal, which others may read, so there it says only where the
password is kept (var/admin-password.txt, mode 600). A password given in DIMING_ADMIN_PASSWORD is never repeated."""

import io
import stat

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_the_generated_password_is_printed_on_a_terminal_and_only_its_place_elsewhere(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    journal = io.StringIO()
    call_command("ensure_admin", stdout=journal)
    password = (tmp_path / "admin-password.txt").read_text().strip()
    assert get_user_model().objects.get(username="admin").check_password(password)
    assert password not in journal.getvalue() and str(tmp_path / "admin-password.txt") in journal.getvalue()
    assert stat.S_IMODE((tmp_path / "admin-password.txt").stat().st_mode) == 0o600

    terminal = Terminal()
    call_command("ensure_admin", stdout=terminal)
    assert f"admin / {password}" in terminal.getvalue()
    again = io.StringIO()
    call_command("ensure_admin", stdout=again)
    assert password not in again.getvalue()


def test_a_password_given_is_never_repeated(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("DIMING_ADMIN_PASSWORD", "given-secret-2026")
    terminal = Terminal()
    call_command("ensure_admin", stdout=terminal)
    assert "given-secret-2026" not in terminal.getvalue() and "DIMING_ADMIN_PASSWORD" in terminal.getvalue()
    assert not (tmp_path / "admin-password.txt").exists()
