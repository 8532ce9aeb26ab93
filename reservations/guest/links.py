"""Guest links: `/r/<token>/`, where the token is a JWT (HS256) signed with the
hotel's `jwt_secret` and carrying the reservation code, the hotel's id and an
expiry at the end of the stay's check-out day, hotel time. The header's `kid`
is the secret version, so a link signed before a rotation keeps working until
it expires (secret_store.POLICIES keeps old versions that long).

Each hotel has its own jwt_secret rather than one for the whole product: a
leaked or rotated key concerns one hotel, whose managers can rotate it from the
admin, and a token can only ever name a reservation of the hotel that signed it.
"""
import datetime
import json

import jwt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from security.secret_store import JWT_SECRET, current_secret, secret_version
from tenants.models import Tenant

from ..models import Reservation
from ..selectors import reservation_get

ALGORITHM = "HS256"
AUDIENCE = "guest-link"
MAX_TOKEN_LENGTH = 2048


def link_expiry(reservation: Reservation) -> datetime.datetime:
    """Midnight after check-out day at the hotel: the link works all that day."""
    day_after = reservation.check_out + datetime.timedelta(days=1)
    return datetime.datetime.combine(day_after, datetime.time.min, tzinfo=reservation.tenant.tzinfo)


def guest_link_token(reservation: Reservation) -> str:
    tenant = reservation.tenant
    secret = current_secret(JWT_SECRET, tenant)
    claims = {"code": reservation.code, "tenant": tenant.pk, "aud": AUDIENCE, "exp": link_expiry(reservation)}
    return jwt.encode(claims, secret.value, algorithm=ALGORITHM, headers={"kid": str(secret.version)})


def guest_link_url(reservation: Reservation, request=None) -> str | None:
    """The absolute link, on the request's host when there is a request and on
    PUBLIC_BASE_URL otherwise; None once the stay is over and the link would not open."""
    if link_expiry(reservation) <= timezone.now():
        return None
    path = reverse("guest-link", args=[guest_link_token(reservation)])
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def reservation_for_token(token: str) -> Reservation | None:
    """The reservation a link names, or None for anything else: forged, expired,
    signed by a retired key, or naming another hotel's reservation.

    The only thing read before the signature is checked is which key to check it
    with (hotel and key version), parsed strictly; the claims themselves are
    parsed, again strictly, only once the signature holds. A crafted payload
    (`1e400`, `Infinity`, a float or a boolean where an id belongs) is just another
    unknown link, never an exception."""
    if len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        version = _positive_int(jwt.get_unverified_header(token).get("kid"))
        tenant_id = _positive_int(_strict_json(jwt.api_jws.PyJWS().decode_complete(
            token, options={"verify_signature": False})["payload"])["tenant"])
    except (jwt.PyJWTError, KeyError, TypeError, ValueError, AttributeError, RecursionError):
        return None
    tenant = Tenant.objects.filter(pk=tenant_id, is_active=True).first()
    secret = secret_version(JWT_SECRET, tenant, version) if tenant else None
    if secret is None:
        return None
    try:
        payload = jwt.api_jws.PyJWS().decode(token, secret.value, algorithms=[ALGORITHM])
        claims = _strict_json(payload)
        expires = _positive_int(claims["exp"])
    except (jwt.PyJWTError, KeyError, TypeError, ValueError, AttributeError, RecursionError):
        return None
    if (
        claims.get("aud") != AUDIENCE
        or claims.get("tenant") != tenant.pk
        or not _is_code(claims.get("code"))
        or expires <= timezone.now().timestamp()
    ):
        return None
    try:
        reservation = reservation_get(tenant=tenant, code=claims["code"])
    except Reservation.DoesNotExist:
        return None
    reservation.tenant = tenant
    return reservation


_MAX_ID = 2**63 - 1  # PostgreSQL bigint; also far beyond any expiry timestamp


def _positive_int(value) -> int:
    """An int as JSON writes one (not a bool, float or numeric string) that fits a bigint."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 19:
        value = int(value)  # the kid header is written as a string
    if type(value) is not int or not 0 < value <= _MAX_ID:
        raise ValueError("not a positive integer")
    return value


def _is_code(value) -> bool:
    return isinstance(value, str) and len(value) <= 12 and value.isascii() and value.isprintable()


def _reject_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _strict_json(raw: bytes) -> dict:
    """JSON as the standard writes it: no NaN/Infinity, and floats kept as text so
    `1e400` cannot overflow anything; the top level must be an object."""
    claims = json.loads(raw, parse_constant=_reject_constant, parse_float=str)
    if not isinstance(claims, dict):
        raise ValueError("claims are not an object")
    return claims
