"""Django's ModelBackend behind the sign-in throttle (security.login_throttle).

A locked-out username and address is refused before the password is checked,
even a correct one; `django.contrib.auth.authenticate` then stops trying other
backends and sends `user_login_failed`. The refusal is flagged on the request so
the admin's login form can say why (security.admin.login).
"""
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from . import login_throttle
from .audit import client_ip

LOCKED_OUT = "admin_login_locked_out"  # request attribute read by the login form


def _flag_locked_out(request) -> None:
    if request is not None:
        setattr(request, LOCKED_OUT, True)


class RateLimitedModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        who = {"username": str(username), "ip": client_ip(request)}
        if login_throttle.is_locked_out(**who):
            _flag_locked_out(request)
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None:
            login_throttle.note_success(**who)
        elif login_throttle.note_failure(**who):
            _flag_locked_out(request)
        return user
