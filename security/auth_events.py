"""Sign-ins to the back office in the audit trail, from django.contrib.auth's signals.

Failures keep the username tried (as the actor, so it can be searched) and the
credentials Django passes with every secret-looking value redacted; a password
never reaches the trail.
"""
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from . import audit
from .auth_backends import LOCKED_OUT


@receiver(user_logged_in, dispatch_uid="security.audit_sign_in")
def audit_sign_in(sender, request, user, **kwargs):
    audit.record(
        audit.Type.AUTH_SUCCESS, action="admin_login", actor=f"user:{user.pk}", request=request,
        resource=f"user:{user.pk}", details={"username": user.get_username()},
    )


@receiver(user_login_failed, dispatch_uid="security.audit_failed_sign_in")
def audit_failed_sign_in(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))
    audit.record(
        audit.Type.AUTH_FAILURE, action="admin_login",
        actor=f"username:{username}" if username else "anonymous", request=request,
        resource="admin:login",
        details={"credentials": audit.redact(credentials),
                 "locked_out": bool(getattr(request, LOCKED_OUT, False))},
    )
