"""The admin sign-in form, saying so when too many failures locked the user out
(security.login_throttle). The page answers 200 with the form error, like any
other failed sign-in."""
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

from ..auth_backends import LOCKED_OUT


class ThrottledAdminLoginForm(AdminAuthenticationForm):
    def get_invalid_login_error(self):
        if not getattr(self.request, LOCKED_OUT, False):
            return super().get_invalid_login_error()
        minutes = max(1, settings.ADMIN_LOGIN_LOCKOUT_SECONDS // 60)
        return ValidationError(
            ngettext(
                "Too many failed sign-in attempts. Try again in %(minutes)d minute.",
                "Too many failed sign-in attempts. Try again in %(minutes)d minutes.",
                minutes,
            ),
            code="locked_out",
            params={"minutes": minutes},
        )
