"""A guest link opens its own hotel's reservation and nothing else: neither a
token reworked to name Harbor Inn's reservation, nor one signed with Harbor
Inn's own key for Hotel Sol's, shows or cancels anything (the page answers 404
and both reservations stay booked)."""
import base64
import datetime
import json

import jwt
import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from reservations.guest.links import guest_link_token
from reservations.models import Reservation
from reservations.services import reservation_create
from security.secret_store import JWT_SECRET, current_secret
from tests.factories import RoomTypeFactory, stay

pytestmark = pytest.mark.django_db


def book(tenant, guest_name: str):
    check_in, check_out = stay(tenant=tenant)
    return reservation_create(
        tenant=tenant, room_type="standard", check_in=check_in, check_out=check_out, guests=2,
        guest_name=guest_name, guest_email="guest@example.com", guest_phone="+34612345678", source="api",
    )


@pytest.fixture
def ours(tenant, standard):
    return book(tenant, "Ana García")


@pytest.fixture
def theirs(other_tenant):
    RoomTypeFactory(tenant=other_tenant, code="standard", name="Harbor Standard")
    return book(other_tenant, "Harbor Guest")


def signed(claims: dict, tenant) -> str:
    """A token signed with `tenant`'s current guest-link key."""
    secret = current_secret(JWT_SECRET, tenant)
    claims = {"aud": "guest-link", "exp": timezone.now() + datetime.timedelta(days=30), **claims}
    return jwt.encode(claims, secret.value, algorithm="HS256", headers={"kid": str(secret.version)})


def with_claims(token: str, **changes) -> str:
    """The token with its claims rewritten and its signature kept, as a guest trying
    another code by hand would make it."""
    header, claims, signature = token.split(".")
    padded = claims + "=" * (-len(claims) % 4)
    rewritten = {**json.loads(base64.urlsafe_b64decode(padded)), **changes}
    encoded = base64.urlsafe_b64encode(json.dumps(rewritten).encode()).rstrip(b"=").decode()
    return f"{header}.{encoded}.{signature}"


def status_of(reservation) -> str:
    with scopes_disabled():
        return Reservation.objects.get(pk=reservation.pk).status


def assert_opens_nothing(client, token: str):
    page, cancel = client.get(f"/r/{token}/"), client.post(f"/r/{token}/")

    assert page.status_code == cancel.status_code == 404
    assert "This link does not work" in page.content.decode()
    assert "Harbor" not in page.content.decode() and "Ana García" not in page.content.decode()


def test_a_link_shows_its_own_reservation_and_nothing_of_the_other_hotel(client, ours, theirs):
    page = client.get(f"/r/{guest_link_token(ours)}/").content.decode()

    assert ours.code in page and "Hotel Sol" in page
    assert theirs.code not in page and "Harbor" not in page


def test_a_sol_token_reworked_to_name_harbors_reservation_opens_nothing(client, ours, theirs, other_tenant):
    token = guest_link_token(ours)

    for reworked in (with_claims(token, code=theirs.code),
                     with_claims(token, code=theirs.code, tenant=other_tenant.pk)):
        assert_opens_nothing(client, reworked)

    assert status_of(theirs) == status_of(ours) == Reservation.Status.CONFIRMED


def test_sols_own_key_cannot_sign_for_harbors_reservation(client, tenant, ours, theirs, other_tenant):
    for hotel in (tenant, other_tenant):
        assert_opens_nothing(client, signed({"code": theirs.code, "tenant": hotel.pk}, tenant))

    assert status_of(theirs) == Reservation.Status.CONFIRMED


def test_a_token_signed_with_harbors_key_for_sols_code_opens_nothing(client, tenant, ours, theirs,
                                                                      other_tenant):
    for hotel in (other_tenant, tenant):
        assert_opens_nothing(client, signed({"code": ours.code, "tenant": hotel.pk}, other_tenant))

    assert status_of(ours) == Reservation.Status.CONFIRMED
