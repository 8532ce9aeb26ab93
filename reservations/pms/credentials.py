"""Where a hotel's QloApps webservice key comes from.

The key lives encrypted in the secret store (security.secret_store, name
`pms_webservice_key`, one per hotel). It is read with `valid_secrets`, not
`current_secret`: the latter makes up a random first version when none exists,
which is right for secrets we issue and wrong for a key QloApps issued. Until a
hotel's key is stored there, PMS_WEBSERVICE_KEYS (`slug=key,…` in the
environment) is the fallback, so a deployment can start before the store is
filled.
"""
from django.conf import settings

SECRET_NAME = "pms_webservice_key"  # noqa: S105 - the secret's name, not its value


def _stored_key(tenant) -> str:
    try:
        from security.secret_store import valid_secrets
    except ImportError:  # the store is not part of this deployment
        return ""
    versions = valid_secrets(SECRET_NAME, tenant)
    return versions[0].value if versions else ""


def webservice_key(tenant) -> str:
    """The hotel's key, or "" when none is configured."""
    return _stored_key(tenant) or settings.PMS_WEBSERVICE_KEYS.get(tenant.slug, "")
