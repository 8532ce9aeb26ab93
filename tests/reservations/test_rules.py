import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scopes_disabled

from reservations.errors import GuestNotAllowed, LimitReached
from reservations.models import Reservation
from reservations.rules import clean_booking_request, validate_availability_query
from reservations.services import reservation_cancel, reservation_create
from tests.factories import BlacklistEntryFactory, TenantFactory, stay

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
UTC_DATE = datetime.date(2025, 3, 1)
# 22:00 UTC on 1 March is already noon on 2 March in Kiritimati (UTC+14);
# 03:00 UTC on 1 March is still 19:00 on 28 February in Los Angeles (UTC-8).
LATE_IN_THE_UTC_DAY = datetime.datetime(2025, 3, 1, 22, 0, tzinfo=datetime.UTC)
EARLY_IN_THE_UTC_DAY = datetime.datetime(2025, 3, 1, 3, 0, tzinfo=datetime.UTC)


def frozen_at(instant):
    return mock.patch("django.utils.timezone.now", return_value=instant)


def clean(tenant, **overrides):
    check_in, check_out = stay(tenant=tenant)
    fields = dict(
        room_type_code="standard", check_in=check_in, check_out=check_out, guests=2,
        guest_name="Ana García", guest_email="ana@example.com", guest_phone="612345678",
        special_requests="",
    )
    fields.update(overrides)
    return clean_booking_request(tenant=tenant, **fields)


def errors_of(tenant, **overrides) -> dict:
    with pytest.raises(ValidationError) as error:
        clean(tenant, **overrides)
    return error.value.message_dict


def book(tenant, **overrides):
    check_in, check_out = stay(tenant=tenant)
    fields = dict(
        room_type="standard", check_in=check_in, check_out=check_out, guests=2,
        guest_name="Ana García", guest_email="ana@example.com", guest_phone="612345678",
        source="api",
    )
    fields.update(overrides)
    return reservation_create(tenant=tenant, **fields)


def availability_errors(today, *, check_in, nights=2, guests=2) -> dict:
    with pytest.raises(ValidationError) as error:
        validate_availability_query(
            today=today, check_in=check_in, check_out=check_in + nights * DAY, guests=guests
        )
    return error.value.message_dict


# --- The hotel's calendar --------------------------------------------------

def test_local_today_is_the_hotels_date_not_utcs():
    kiritimati = TenantFactory(timezone="Pacific/Kiritimati")
    los_angeles = TenantFactory(timezone="America/Los_Angeles")

    with frozen_at(LATE_IN_THE_UTC_DAY):
        assert timezone.now().date() == UTC_DATE
        assert kiritimati.local_today() == datetime.date(2025, 3, 2)
    with frozen_at(EARLY_IN_THE_UTC_DAY):
        assert timezone.now().date() == UTC_DATE
        assert los_angeles.local_today() == datetime.date(2025, 2, 28)


def test_check_in_on_the_utc_date_is_past_for_a_hotel_already_on_tomorrow():
    kiritimati = TenantFactory(timezone="Pacific/Kiritimati")

    with frozen_at(LATE_IN_THE_UTC_DAY):
        errors = errors_of(kiritimati, check_in=UTC_DATE, check_out=UTC_DATE + 2 * DAY)

    assert errors == {"check_in": ["Check-in cannot be in the past."]}


def test_check_in_on_the_hotels_today_is_allowed_while_utc_is_already_tomorrow():
    los_angeles = TenantFactory(timezone="America/Los_Angeles", country="US")

    with frozen_at(EARLY_IN_THE_UTC_DAY):
        booking = clean(los_angeles, check_in=datetime.date(2025, 2, 28),
                        check_out=datetime.date(2025, 3, 2), guest_phone="(201) 555-0123")

    assert booking.nights == 2


def test_check_in_yesterday_is_refused(tenant):
    today = tenant.local_today()

    assert "check_in" in errors_of(tenant, check_in=today - DAY, check_out=today + DAY)


# --- How far ahead ---------------------------------------------------------

def test_booking_opens_365_days_ahead(tenant):
    check_in = tenant.local_today() + 365 * DAY

    assert clean(tenant, check_in=check_in, check_out=check_in + DAY).check_in == check_in


def test_booking_366_days_ahead_is_refused(tenant):
    check_in = tenant.local_today() + 366 * DAY

    assert errors_of(tenant, check_in=check_in, check_out=check_in + DAY) == {
        "check_in": ["Check-in can be at most 365 days ahead."]
    }


def test_availability_can_be_asked_730_days_ahead():
    today = datetime.date(2025, 3, 1)

    validate_availability_query(
        today=today, check_in=today + 730 * DAY, check_out=today + 731 * DAY, guests=2
    )


def test_availability_731_days_ahead_is_refused():
    today = datetime.date(2025, 3, 1)

    assert availability_errors(today, check_in=today + 731 * DAY) == {
        "check_in": ["Check-in can be at most 730 days ahead."]
    }


def test_availability_in_the_past_is_refused():
    today = datetime.date(2025, 3, 1)

    assert "check_in" in availability_errors(today, check_in=today - DAY)


# --- Length of stay --------------------------------------------------------

def test_check_out_on_the_check_in_day_is_refused(tenant):
    check_in, _ = stay(tenant=tenant)

    assert errors_of(tenant, check_in=check_in, check_out=check_in) == {
        "check_out": ["Check-out must be after check-in."]
    }


def test_check_out_before_check_in_is_refused(tenant):
    check_in, _ = stay(tenant=tenant)

    assert "check_out" in errors_of(tenant, check_in=check_in, check_out=check_in - DAY)


def test_one_night_and_ninety_nights_are_allowed(tenant):
    one_night = stay(nights=1, tenant=tenant)
    ninety = stay(nights=90, tenant=tenant)

    assert clean(tenant, check_in=one_night[0], check_out=one_night[1]).nights == 1
    assert clean(tenant, check_in=ninety[0], check_out=ninety[1]).nights == 90


def test_ninety_one_nights_are_refused(tenant):
    check_in, check_out = stay(nights=91, tenant=tenant)

    assert errors_of(tenant, check_in=check_in, check_out=check_out) == {
        "check_out": ["A stay can be at most 90 nights."]
    }


# --- Guests ----------------------------------------------------------------

@pytest.mark.parametrize("guests", [1, 10])
def test_one_to_ten_guests_are_allowed(tenant, guests):
    assert clean(tenant, guests=guests).guests == guests


@pytest.mark.parametrize("guests", [0, 11])
def test_fewer_than_one_or_more_than_ten_guests_are_refused(tenant, guests):
    assert errors_of(tenant, guests=guests) == {"guests": ["Guests must be between 1 and 10."]}


def test_availability_checks_the_party_size_too():
    today = datetime.date(2025, 3, 1)

    assert "guests" in availability_errors(today, check_in=today + DAY, guests=11)


def test_more_guests_than_the_room_type_takes_are_refused(tenant, standard):
    with pytest.raises(ValidationError) as error:
        book(tenant, guests=3)

    assert error.value.message_dict == {"guests": ["This room type takes at most 2 guests."]}


def test_unknown_room_type_is_refused(tenant, standard):
    with pytest.raises(ValidationError) as error:
        book(tenant, room_type="penthouse")

    assert error.value.message_dict == {"room_type": ["Unknown room type."]}


# --- Contact details -------------------------------------------------------

def test_email_is_stored_lower_case(tenant):
    assert clean(tenant, guest_email="  Ana.Garcia@Example.COM ").guest_email == "ana.garcia@example.com"


def test_invalid_email_is_refused(tenant):
    assert "guest_email" in errors_of(tenant, guest_email="ana@")


def test_spanish_hotel_reads_local_phone_numbers_as_spanish(tenant):
    assert clean(tenant, guest_phone="612 345 678").guest_phone == "+34612345678"


def test_us_hotel_reads_local_phone_numbers_as_american(other_tenant):
    assert clean(other_tenant, guest_phone="(201) 555-0123").guest_phone == "+12015550123"


def test_international_phone_numbers_keep_their_country(tenant):
    assert clean(tenant, guest_phone="+1 201-555-0123").guest_phone == "+12015550123"


def test_invalid_phone_is_refused(tenant):
    assert errors_of(tenant, guest_phone="12") == {"guest_phone": ["Enter a valid phone number."]}


def test_blank_guest_name_is_refused(tenant):
    assert "guest_name" in errors_of(tenant, guest_name="  <b></b> ")


# --- Special requests ------------------------------------------------------

def test_markup_is_stripped_from_special_requests(tenant):
    booking = clean(tenant, special_requests="<script>alert(1)</script>Hola <b>amigos</b>")

    assert "<script" not in booking.special_requests
    assert "alert" not in booking.special_requests
    assert booking.special_requests == "Hola amigos"


def test_encoded_markup_does_not_survive(tenant):
    booking = clean(tenant, special_requests="&lt;script&gt;alert(1)&lt;/script&gt;Hola")

    assert "<script" not in booking.special_requests


def test_control_characters_are_removed_but_line_breaks_kept(tenant):
    booking = clean(tenant, special_requests="Hola\x00\x07 mundo\r\nGracias\x1b")

    assert booking.special_requests == "Hola mundo\nGracias"


@pytest.mark.parametrize("text", [
    "Llegamos 12/03 <3",
    "O'Brien",
    "¿Tienen habitación?",
    "Cuna para el bebé 👶, gracias 🙏",
    'Room "with a view" & quiet, 2 > 1',
])
def test_ordinary_text_passes_unchanged(tenant, text):
    assert clean(tenant, special_requests=text).special_requests == text


def test_special_requests_of_1000_characters_are_kept(tenant):
    assert len(clean(tenant, special_requests="a" * 1000).special_requests) == 1000


def test_special_requests_over_1000_characters_are_refused(tenant):
    assert "special_requests" in errors_of(tenant, special_requests="a" * 1001)


# --- Blacklist -------------------------------------------------------------

def test_guest_on_the_hotels_blacklist_is_refused(tenant, standard):
    BlacklistEntryFactory(tenant=tenant, email="ana@example.com")

    with pytest.raises(GuestNotAllowed):
        book(tenant, guest_email="Ana@Example.com")


def test_guest_on_the_global_blacklist_is_refused_everywhere(tenant, standard):
    BlacklistEntryFactory(tenant=None, email="ana@example.com")

    with pytest.raises(GuestNotAllowed):
        book(tenant)


def test_another_hotels_blacklist_does_not_apply(tenant, other_tenant, standard):
    BlacklistEntryFactory(tenant=other_tenant, email="ana@example.com")

    assert book(tenant).status == Reservation.Status.CONFIRMED


def test_expired_blacklist_entry_no_longer_applies(tenant, standard):
    BlacklistEntryFactory(tenant=tenant, email="ana@example.com",
                          expires_at=timezone.now() - datetime.timedelta(minutes=1))

    assert book(tenant).status == Reservation.Status.CONFIRMED


def test_blacklist_entry_until_a_future_date_still_applies(tenant, standard):
    BlacklistEntryFactory(tenant=tenant, email="ana@example.com",
                          expires_at=timezone.now() + datetime.timedelta(days=1))

    with pytest.raises(GuestNotAllowed):
        book(tenant)


def test_inactive_blacklist_entry_does_not_apply(tenant, standard):
    BlacklistEntryFactory(tenant=tenant, email="ana@example.com", is_active=False)

    assert book(tenant).status == Reservation.Status.CONFIRMED


def test_blacklisted_phone_matches_however_the_guest_writes_it(tenant, standard):
    BlacklistEntryFactory(tenant=tenant, email="", phone="+34612345678")

    with pytest.raises(GuestNotAllowed):
        book(tenant, guest_email="someone.else@example.com", guest_phone="612 34 56 78")


# --- Active reservations per guest -----------------------------------------

def limit_to_one(tenant):
    tenant.max_active_reservations_per_guest = 1
    tenant.save()


def test_a_confirmed_upcoming_stay_counts_towards_the_limit(tenant, standard):
    limit_to_one(tenant)
    book(tenant)

    with pytest.raises(LimitReached):
        book(tenant, guest_email="other.address@example.com")  # same phone, same guest


def test_cancelled_reservations_do_not_count_towards_the_limit(tenant, standard):
    limit_to_one(tenant)
    reservation_cancel(tenant=tenant, code=book(tenant).code, source="api")

    assert book(tenant).status == Reservation.Status.CONFIRMED


def test_a_stay_checking_out_today_no_longer_counts(tenant, standard):
    limit_to_one(tenant)
    today = tenant.local_today()
    with scopes_disabled():
        Reservation.objects.create(
            tenant=tenant, room_type=standard, guest_name="Ana García", guest_email="ana@example.com",
            guest_phone="+34612345678", guests=2, check_in=today - 2 * DAY, check_out=today, nights=2,
            nightly_rates=["100.00", "100.00"], subtotal=Decimal("200.00"), total=Decimal("200.00"),
            currency="EUR", source="admin",
        )

    assert book(tenant).status == Reservation.Status.CONFIRMED
