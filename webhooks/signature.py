import hashlib
import hmac

PREFIX = "sha256="


def expected_signature(secret: str, body: bytes) -> str:
    return PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_is_valid(secret: str, body: bytes, header: str) -> bool:
    """Constant-time comparison of Meta's X-Hub-Signature-256 with our own HMAC of
    the raw bytes. An unset secret never validates."""
    if not secret or not header:
        return False
    return hmac.compare_digest(expected_signature(secret, body), header.strip())
