"""HMAC-SHA256 signatures under a hotel's `webhook_secret`: ours on the event
notifications we send, the hotel's on web-chat messages sent without an API key.
The format is GitHub's and Meta's: `sha256=<hex digest of the raw body>`."""
import hashlib
import hmac

from .secret_store import WEBHOOK_SECRET, current_secret, valid_secrets

PREFIX = "sha256="


def _digest(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def sign_payload(tenant, body: bytes) -> str:
    """The signature header value for `body`, under the hotel's current webhook secret."""
    return PREFIX + _digest(current_secret(WEBHOOK_SECRET, tenant).value, body)


def signing_version(tenant, body: bytes, signature: str, *, now=None) -> int | None:
    """The version of the hotel's webhook secret that made `signature`, or None.
    Every version still in its overlap is tried, each compared in constant time;
    when none matches, once more after re-reading the store (another process may
    have rotated since this one cached it)."""
    if not signature.startswith(PREFIX):
        return None
    given = signature[len(PREFIX):].strip().lower().encode()
    for refresh in (False, True):
        for secret in valid_secrets(WEBHOOK_SECRET, tenant, now=now, refresh=refresh):
            if hmac.compare_digest(_digest(secret.value, body).encode(), given):
                return secret.version
    return None
