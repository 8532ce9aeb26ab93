from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = _("Security")

    def ready(self):
        from . import (
            lookups,
            rotation,  # noqa: F401 - emails new webhook secrets on secret_rotated
        )

        lookups.register()
        self._audit_sign_ins()
        self._audit_admin_changes()

    @staticmethod
    def _audit_sign_ins():
        from django.contrib import admin

        from . import auth_events  # noqa: F401 - connects the sign-in receivers
        from .admin.login import ThrottledAdminLoginForm

        admin.site.login_form = ThrottledAdminLoginForm

    @staticmethod
    def _audit_admin_changes():
        from tenants.signals import admin_object_changed

        from .admin.change_audit import record_admin_change

        admin_object_changed.connect(record_admin_change, dispatch_uid="security.record_admin_change")
