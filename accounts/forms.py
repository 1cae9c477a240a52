"""The sign-in forms (the site's and the admin's)."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _


class _NameLengthChecked:
    """The user name's length checked before anyone tries to sign in with it: Django sets the field's max_length
    after the field is made, so no validator holds it, and a longer name reached the login throttle's record of
    failures (a column of 255 characters): a server error instead of "wrong name or password"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].validators.append(MaxLengthValidator(
            self.fields["username"].max_length, message=_("A user name has at most %(limit_value)d characters.")))


class SignInForm(_NameLengthChecked, AuthenticationForm):
    pass


class AdminSignInForm(_NameLengthChecked, AdminAuthenticationForm):
    pass
