import datetime
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from reservations.models import NightlyInventory
from tests.factories import RoomTypeFactory, TenantFactory, stay

pytestmark = pytest.mark.django_db

URL = "/api/v1/availability/"


def search(api, tenant, *, nights=2, days_ahead=10, guests=2, **params):
    check_in, check_out = stay(days_ahead, nights, tenant=tenant)
    return api.get(URL, {"check_in": check_in, "check_out": check_out, "guests": guests, **params})


def test_lists_each_room_type_with_its_price(api, tenant, standard):
    check_in, check_out = stay(tenant=tenant)

    response = search(api, tenant)

    assert response.status_code == 200
    assert response.json() == {
        "check_in": check_in.isoformat(), "check_out": check_out.isoformat(), "nights": 2,
        "guests": 2, "currency": "EUR", "degraded": False, "as_of": None,
        "room_types": [{
            "code": "standard", "name": "Standard", "available": 3,
            "nightly_rates": ["100.00", "100.00"], "subtotal": "200.00",
            "discount_rate": "0.00", "total": "200.00",
        }],
    }


@pytest.mark.parametrize(("nights", "discount_rate", "total"), [
    (6, "0.00", "600.00"),
    (7, "0.10", "630.00"),
    (29, "0.10", "2610.00"),
    (30, "0.20", "2400.00"),
])
def test_long_stays_are_discounted(api, tenant, standard, nights, discount_rate, total):
    [offer] = search(api, tenant, nights=nights).json()["room_types"]

    assert offer["subtotal"] == f"{100 * nights}.00"
    assert offer["discount_rate"] == discount_rate
    assert offer["total"] == total


def test_night_rate_overrides_are_priced(api, tenant, standard):
    check_in, _ = stay(tenant=tenant)
    with scopes_disabled():
        NightlyInventory.objects.filter(room_type=standard, date=check_in).update(
            rate_override=Decimal("149.50")
        )

    [offer] = search(api, tenant).json()["room_types"]

    assert offer["nightly_rates"] == ["149.50", "100.00"]
    assert offer["total"] == "249.50"


def test_amounts_use_the_currency_minor_unit(api, tenant):
    tenant.currency = "JPY"
    tenant.save()
    RoomTypeFactory(tenant=tenant, code="washitsu", base_rate=Decimal("12000"))

    response = search(api, tenant)

    assert response.json()["currency"] == "JPY"
    assert response.json()["room_types"][0]["total"] == "24000"


def test_a_night_without_rooms_makes_the_type_unavailable(api, tenant, standard):
    check_in, _ = stay(tenant=tenant)
    with scopes_disabled():
        NightlyInventory.objects.filter(room_type=standard, date=check_in).update(rooms_booked=3)

    [offer] = search(api, tenant).json()["room_types"]

    assert offer["available"] == 0


def test_room_types_too_small_for_the_party_are_left_out(api, tenant, standard):
    RoomTypeFactory(tenant=tenant, code="family", max_guests=4)

    response = search(api, tenant, guests=3)

    assert [offer["code"] for offer in response.json()["room_types"]] == ["family"]


def test_filters_by_room_type(api, tenant, standard):
    RoomTypeFactory(tenant=tenant, code="suite", base_rate=Decimal("300.00"))

    response = search(api, tenant, room_type="suite")

    assert [offer["code"] for offer in response.json()["room_types"]] == ["suite"]


def test_unknown_room_type_is_a_field_error(api, tenant, standard):
    response = search(api, tenant, room_type="penthouse")

    assert response.status_code == 400
    assert list(response.json()) == ["room_type"]


def test_another_hotels_room_types_are_unknown(api, tenant, standard):
    RoomTypeFactory(tenant=TenantFactory(), code="suite")

    assert search(api, tenant, room_type="suite").status_code == 400
    assert [o["code"] for o in search(api, tenant).json()["room_types"]] == ["standard"]


def test_missing_parameters_are_named(api, standard):
    response = api.get(URL)

    assert response.status_code == 400
    assert set(response.json()) == {"check_in", "check_out"}


@pytest.mark.parametrize("params", [
    {"check_in": "2026-02-30"},
    {"check_in": "tomorrow"},
    {"guests": "two"},
    {"guests": "0"},
    {"guests": "11"},
    {"guests": "99999999999999999999999999"},
])
def test_bad_parameters_are_field_errors(api, tenant, standard, params):
    check_in, check_out = stay(tenant=tenant)
    query = {"check_in": check_in, "check_out": check_out, "guests": 2, **params}

    response = api.get(URL, query)

    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_check_out_must_follow_check_in(api, tenant, standard):
    check_in, _ = stay(tenant=tenant)

    response = api.get(URL, {"check_in": check_in, "check_out": check_in, "guests": 2})

    assert response.json() == {"check_out": ["La fecha de salida debe ser posterior a la de entrada."]}


def test_past_check_in_is_refused_on_the_hotels_calendar(api, tenant, standard):
    yesterday = tenant.local_today() - datetime.timedelta(days=1)

    response = api.get(URL, {"check_in": yesterday, "check_out": tenant.local_today(), "guests": 2})

    assert list(response.json()) == ["check_in"]
