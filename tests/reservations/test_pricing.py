from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from reservations.models import NightlyInventory
from reservations.pricing import quote_for
from reservations.services import reservation_create
from tests.factories import stay

LONG_STAYS = [
    # nights, discount, total at 100.00 a night
    (6, "0", "600.00"),
    (7, "0.10", "630.00"),
    (29, "0.10", "2610.00"),
    (30, "0.20", "2400.00"),
]


@pytest.mark.parametrize(("nights", "discount", "total"), LONG_STAYS)
def test_quote_applies_the_long_stay_discount_from_seven_and_thirty_nights(nights, discount, total):
    quote = quote_for([Decimal("100.00")] * nights, "EUR")

    assert quote.discount_rate == Decimal(discount)
    assert quote.subtotal == Decimal("100.00") * nights
    assert quote.total == Decimal(total)


@pytest.mark.django_db
@pytest.mark.parametrize(("nights", "discount", "total"), LONG_STAYS)
def test_booking_charges_the_long_stay_discount(tenant, standard, nights, discount, total):
    check_in, check_out = stay(nights=nights, tenant=tenant)

    reservation = reservation_create(
        tenant=tenant, room_type="standard", check_in=check_in, check_out=check_out, guests=1,
        guest_name="Ana García", guest_email="ana@example.com", guest_phone="612345678",
        source="api",
    )

    assert reservation.nights == nights
    assert reservation.discount_rate == Decimal(discount)
    assert reservation.total == Decimal(total)


@pytest.mark.django_db
def test_booking_prices_each_night_at_its_override_or_the_base_rate(tenant, standard):
    check_in, check_out = stay(nights=3, tenant=tenant)
    with scopes_disabled():
        NightlyInventory.objects.filter(room_type=standard, date=check_in).update(
            rate_override=Decimal("150.00")
        )

    reservation = reservation_create(
        tenant=tenant, room_type="standard", check_in=check_in, check_out=check_out, guests=1,
        guest_name="Ana García", guest_email="ana@example.com", guest_phone="612345678",
        source="api",
    )

    assert reservation.nightly_rates == ["150.00", "100.00", "100.00"]
    assert reservation.total == Decimal("350.00")


def test_nightly_rates_round_half_up_to_cents():
    quote = quote_for([Decimal("0.125"), Decimal("0.124")], "EUR")

    assert quote.nightly_rates == [Decimal("0.13"), Decimal("0.12")]
    assert quote.total == Decimal("0.25")


def test_discounted_total_rounds_half_up_to_cents():
    quote = quote_for([Decimal("10.05")] * 7, "EUR")  # 70.35 less 10 % is 63.315

    assert quote.total == Decimal("63.32")


def test_yen_has_no_minor_unit():
    quote = quote_for([Decimal("1005")] * 7, "JPY")  # 7035 less 10 % is 6331.5

    assert quote.nightly_rates == [Decimal("1005")] * 7
    assert quote.total == Decimal("6332")
    assert quote.total.as_tuple().exponent == 0


def test_yen_rates_round_half_up_to_whole_yen():
    quote = quote_for([Decimal("100.5"), Decimal("100.4")], "JPY")

    assert quote.nightly_rates == [Decimal("101"), Decimal("100")]


def test_repeated_and_equal_rates_each_round_in_their_place():
    rates = [Decimal("0.125"), Decimal("0.1250"), Decimal("0.124"), Decimal("0.125"), Decimal("99")]

    quote = quote_for(rates, "EUR")

    assert quote.nightly_rates == [Decimal("0.13"), Decimal("0.13"), Decimal("0.12"), Decimal("0.13"),
                                   Decimal("99.00")]
    assert [str(rate) for rate in quote.nightly_rates] == ["0.13", "0.13", "0.12", "0.13", "99.00"]
    assert quote.subtotal == Decimal("99.51")
