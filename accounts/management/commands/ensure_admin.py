import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from accounts.roles import Role
from core.env import env_str


class Command(BaseCommand):
    help = ("Creates the administrator account when missing. The password comes from DIMING_ADMIN_PASSWORD "
            "(or _FILE); otherwise one is generated, kept in var/admin-password.txt and printed on a terminal (a "
            "service's journal is told where it is instead: others may read a journal).")

    def add_arguments(self, parser):
        parser.add_argument("--username", default=env_str("DIMING_ADMIN_USER", "admin"))

    def handle(self, *args, username, **options):
        User = get_user_model()
        password_file = settings.VAR_DIR / "admin-password.txt"
        password = env_str("DIMING_ADMIN_PASSWORD")
        user = User.objects.filter(username=username).first()
        if user is None:
            generated = not password
            if generated:
                password = secrets.token_urlsafe(12)
                password_file.parent.mkdir(parents=True, exist_ok=True)
                password_file.write_text(password + "\n", encoding="utf-8")
                password_file.chmod(0o600)
            user = User.objects.create_superuser(username=username, password=password, email="")
            user.groups.add(Group.objects.get(name=Role.ADMIN))
            if not generated:  # a password given is never repeated
                self.stdout.write(_("Administrator created: %(user)s, with the password given in "
                                    "DIMING_ADMIN_PASSWORD.") % {"user": username})
            else:
                self._tell(_("Administrator created: %(user)s / %(password)s"), username, password, password_file)
        elif password_file.exists() and user.check_password(password_file.read_text().strip()):
            self._tell(_("Administrator: %(user)s / %(password)s"), username, password_file.read_text().strip(),
                       password_file)
        else:
            self.stdout.write(_("Administrator %(user)s exists (password unchanged).") % {"user": username})

    def _tell(self, message, username, password, password_file):
        """The generated password on a terminal; elsewhere (a service's journal, a log) only where it is kept."""
        if self.stdout.isatty():
            self.stdout.write(message % {"user": username, "password": password})
        else:
            self.stdout.write(_("Administrator: %(user)s; the password is in %(file)s (readable by this account "
                                "only).") % {"user": username, "file": password_file})
