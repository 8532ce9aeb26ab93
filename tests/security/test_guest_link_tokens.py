"""A guest link's token: a JWT signed with the hotel's jwt_secret, naming one
reservation until the end of its check-out day. Anything else opens nothing."""
import datetime

import jwt
import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from reservations.guest.links import guest_link_token, reservation_for_token
from reservations.models import Reservation
from reservations.services import reservation_create
from security.rotation import rotate
from security.secret_store import JWT_SECRET, current_secret, secret_create
from tests.factories import RoomTypeFactory, stay

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def book(tenant, room_type="standard"):
    check_in, check_out = stay(tenant=tenant)
    return reservation_create(
        tenant=tenant, room_type=room_type, check_in=check_in, check_out=check_out, guests=2,
        guest_name="Ana García", guest_email="ana@example.com", guest_phone="+34612345678", source="api",
    )


@pytest.fixture
def reservation(tenant, standard):
    return book(tenant)


def forge(claims: dict, key: str, kid="1") -> str:
    return jwt.encode(claims, key, algorithm="HS256", headers={"kid": kid})


def test_the_token_names_the_reservation_and_hotel_with_the_key_version(reservation, tenant):
    token = guest_link_token(reservation)

    header = jwt.get_unverified_header(token)
    claims = jwt.decode(token, options={"verify_signature": False})
    assert (header["alg"], header["kid"]) == ("HS256", str(current_secret(JWT_SECRET, tenant).version))
    assert (claims["code"], claims["tenant"]) == (reservation.code, tenant.pk)
    assert reservation_for_token(token) == reservation


def test_the_link_expires_at_the_end_of_check_out_day_at_the_hotel(reservation, tenant):
    claims = jwt.decode(guest_link_token(reservation), options={"verify_signature": False})

    midnight_after = datetime.datetime.combine(reservation.check_out + DAY, datetime.time.min,
                                               tzinfo=tenant.tzinfo)
    assert claims["exp"] == int(midnight_after.timestamp())


def test_a_link_after_the_stay_opens_nothing(reservation, tenant):
    with scopes_disabled():
        Reservation.objects.filter(pk=reservation.pk).update(
            check_in=tenant.local_today() - 3 * DAY, check_out=tenant.local_today() - DAY
        )
        reservation.refresh_from_db()

    assert reservation_for_token(guest_link_token(reservation)) is None


def test_a_token_whose_signature_was_tampered_with_opens_nothing(reservation):
    header, claims, signature = guest_link_token(reservation).split(".")

    assert reservation_for_token(f"{header}.{claims}.{signature[::-1]}") is None


def test_a_token_signed_with_a_made_up_key_opens_nothing(reservation, tenant):
    claims = {"code": reservation.code, "tenant": tenant.pk, "aud": "guest-link",
              "exp": timezone.now() + DAY}

    assert reservation_for_token(forge(claims, "guessed" * 8)) is None


def test_another_hotels_token_cannot_open_this_hotels_reservation(reservation, other_tenant):
    theirs = current_secret(JWT_SECRET, other_tenant)
    claims = {"code": reservation.code, "tenant": other_tenant.pk, "aud": "guest-link",
              "exp": timezone.now() + DAY}

    assert reservation_for_token(forge(claims, theirs.value, kid=str(theirs.version))) is None


def test_another_hotels_reservation_link_opens_only_that_hotels_reservation(reservation, other_tenant):
    RoomTypeFactory(tenant=other_tenant, code="standard")
    theirs = book(other_tenant)

    assert reservation_for_token(guest_link_token(theirs)) == theirs
    assert reservation_for_token(guest_link_token(theirs)).tenant == other_tenant


@pytest.mark.parametrize("token", [
    "", "garbage", "a.b.c", "x" * 5000,
    jwt.encode({"tenant": 2**70}, "k" * 40, algorithm="HS256", headers={"kid": "1"}),
    jwt.encode({"tenant": "1"}, "k" * 40, algorithm="HS256", headers={"kid": "v1"}),
    jwt.encode({"tenant": 1, "code": "HA-X"}, "", algorithm="none"),
])
def test_nonsense_opens_nothing(db, token):
    assert reservation_for_token(token) is None


def test_a_link_signed_before_a_rotation_keeps_working(reservation, tenant):
    token = guest_link_token(reservation)

    rotate(JWT_SECRET, tenant, force=True)

    assert current_secret(JWT_SECRET, tenant).version == 2
    assert reservation_for_token(token) == reservation
    assert jwt.get_unverified_header(guest_link_token(reservation))["kid"] == "2"


def test_a_link_signed_by_a_key_retired_long_ago_opens_nothing(reservation, tenant):
    long_ago = timezone.now() - 500 * DAY
    secret_create(JWT_SECRET, tenant, now=long_ago)
    token = guest_link_token(reservation)

    rotate(JWT_SECRET, tenant, force=True, now=long_ago + 40 * DAY)  # its overlap ended days ago

    assert reservation_for_token(token) is None
