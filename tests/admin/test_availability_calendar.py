"""The availability calendar: room types × nights, rates and closed nights edited a
cell or a range at a time, and what guests are offered right after."""
import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from reservations.cache_warming import warm
from reservations.errors import Unavailable
from reservations.models import NightlyInventory
from reservations.services import reservation_create
from security.models import AuditEvent
from tenants.models import TenantMembership
from tests.cache.helpers import available, search
from tests.factories import MembershipFactory, RoomTypeFactory, UserFactory, stay

from .pages import admin_url

pytestmark = pytest.mark.django_db

CALENDAR = reverse("admin:reservations_nightlyinventory_calendar")
DAY = datetime.timedelta(days=1)


def night_of(room_type, days_ahead: int) -> NightlyInventory:
    with scopes_disabled():
        return NightlyInventory.objects.get(
            room_type=room_type, date=room_type.tenant.local_today() + DAY * days_ahead
        )


def cell_of(response, room_type, date):
    for night in response.context["nights"]:
        if night["date"] == date:
            return next(item["cell"] for item in night["cells"] if item["room_type"].pk == room_type.pk)
    raise AssertionError(f"{date} is not on the page")


def edit_cell(client, room_type, date, action, rate="", hotel="hotel-sol"):
    return client.post(CALENDAR, {
        "hotel": hotel, "room_type": room_type.pk, "date": date.isoformat(), "action": action, "rate": rate,
    })


def bulk(client, room_types, first, last, action, rate="", weekdays=(), hotel="hotel-sol"):
    return client.post(CALENDAR, {
        "hotel": hotel, "bulk-room_types": [rt.pk for rt in room_types], "bulk-first": first.isoformat(),
        "bulk-last": last.isoformat(), "bulk-weekdays": list(weekdays), "bulk-action": action,
        "bulk-rate": rate,
    })


def calendar_events():
    with scopes_disabled():
        return list(AuditEvent.objects.filter(action="inventory_updated").order_by("sequence"))


def book(tenant, room_type="standard", days_ahead=10, nights=2):
    check_in, check_out = stay(days_ahead, nights, tenant=tenant)
    return reservation_create(
        tenant=tenant, room_type=room_type, check_in=check_in, check_out=check_out, guests=2,
        guest_name="Ana García", guest_email="ana@example.com", guest_phone="612345678", source="api",
    )


# --- reading ------------------------------------------------------------------------

def test_the_calendar_shows_sixty_nights_from_the_hotels_today(as_manager, tenant, standard):
    response = as_manager.get(CALENDAR)

    assert response.status_code == 200
    nights = [night["date"] for night in response.context["nights"]]
    assert nights[0] == tenant.local_today()
    assert len(nights) == 60
    assert "Standard" in response.content.decode()


def test_a_cell_shows_rooms_left_the_rate_and_whether_the_night_is_closed(as_manager, tenant, standard):
    reservation = book(tenant)
    with scopes_disabled():
        NightlyInventory.objects.filter(pk=night_of(standard, 11).pk).update(rate_override=Decimal("150"))
        NightlyInventory.objects.filter(pk=night_of(standard, 12).pk).update(closed=True)

    response = as_manager.get(CALENDAR)

    booked = cell_of(response, standard, reservation.check_in)
    assert (booked.rooms_left, booked.rooms_total, booked.rate) == (2, 3, Decimal("100.00"))
    assert cell_of(response, standard, reservation.check_in + DAY).rate == Decimal("150.00")
    closed = cell_of(response, standard, reservation.check_in + 2 * DAY)
    assert closed.closed and closed.sells == 0
    page = response.content.decode()
    assert "<strong>2</strong> of 3 left" in page
    assert "€" in page and "Closed" in page


def test_the_calendar_pages_sixty_nights_at_a_time(as_manager, tenant, standard):
    today = tenant.local_today()
    first_page = as_manager.get(CALENDAR)

    assert first_page.context["previous_start"] is None
    assert first_page.context["next_start"] == today + 60 * DAY
    second = as_manager.get(CALENDAR, {"start": (today + 60 * DAY).isoformat()})
    assert second.context["nights"][0]["date"] == today + 60 * DAY
    assert second.context["previous_start"] == today
    # the factory opens 120 nights: the third page shows nights not open yet
    third = as_manager.get(CALENDAR, {"start": (today + 120 * DAY).isoformat()})
    assert cell_of(third, standard, today + 120 * DAY) is None
    assert "not open for sale yet" in third.content.decode()


@pytest.mark.parametrize("start", ["yesterday", "2000-01-01", "9999-12-31", "2026-02-31", "１２"])
def test_a_start_in_the_past_or_unreadable_is_not_a_server_error(as_manager, tenant, standard, start):
    response = as_manager.get(CALENDAR, {"start": start})

    assert response.status_code == 200
    assert response.context["nights"][0]["date"] >= tenant.local_today()


def test_reading_the_calendar_costs_the_same_queries_for_one_room_type_or_five(as_manager, tenant, standard):
    as_manager.get(CALENDAR)  # the session and the like, read once
    with CaptureQueriesContext(connection) as one:
        as_manager.get(CALENDAR)
    for code in ("deluxe", "suite", "family", "attic"):
        RoomTypeFactory(tenant=tenant, code=code)

    with CaptureQueriesContext(connection) as five:
        response = as_manager.get(CALENDAR)

    assert len(response.context["room_types"]) == 5
    assert len(five) == len(one)
    assert len(one) <= 10


def test_the_nightly_inventory_list_leads_to_the_calendar(as_manager, standard):
    response = as_manager.get(admin_url(NightlyInventory, "changelist"))

    assert CALENDAR in response.content.decode()


# --- editing one cell -----------------------------------------------------------------

def test_a_rate_set_in_a_cell_is_quoted_to_guests_at_once(
    api, as_manager, tenant, standard, django_capture_on_commit_callbacks
):
    warm()
    night = night_of(standard, 10)

    with django_capture_on_commit_callbacks(execute=True):
        response = edit_cell(as_manager, standard, night.date, "set_rate", "150")

    assert response.status_code == 302
    assert response.url.endswith(f"#night-{night.date.isoformat()}")
    night.refresh_from_db()
    assert night.rate_override == Decimal("150.00")
    [offer] = search(api, tenant)["room_types"]
    assert offer["nightly_rates"] == ["150.00"]


def test_a_rate_edit_is_audited_with_what_it_was_before(as_manager, tenant, standard, manager):
    night = night_of(standard, 10)

    edit_cell(as_manager, standard, night.date, "set_rate", "150")

    [event] = calendar_events()
    assert event.tenant == tenant
    assert event.actor == f"user:{manager.pk}"
    assert event.resource == "room_type:standard"
    assert event.details["first"] == event.details["last"] == night.date.isoformat()
    assert event.details["before"] == {"rate_override": {"": 1}}
    assert event.details["after"] == {"rate_override": "150.00"}


def test_clearing_the_override_goes_back_to_the_base_rate(as_manager, standard):
    night = night_of(standard, 10)
    edit_cell(as_manager, standard, night.date, "set_rate", "150")

    edit_cell(as_manager, standard, night.date, "clear_rate")

    night.refresh_from_db()
    assert night.rate_override is None
    assert calendar_events()[-1].details["before"] == {"rate_override": {"150.00": 1}}


def test_an_emptied_rate_box_goes_back_to_the_base_rate(as_manager, standard):
    night = night_of(standard, 10)
    edit_cell(as_manager, standard, night.date, "set_rate", "150")

    edit_cell(as_manager, standard, night.date, "set_rate", "  ")

    night.refresh_from_db()
    assert night.rate_override is None


def test_a_closed_night_has_no_room_for_guests_and_refuses_bookings(
    api, as_manager, tenant, standard, django_capture_on_commit_callbacks
):
    warm()
    night = night_of(standard, 10)
    assert available(search(api, tenant)) == {"standard": 3}

    with django_capture_on_commit_callbacks(execute=True):
        response = edit_cell(as_manager, standard, night.date, "close")

    assert response.status_code == 302
    assert available(search(api, tenant)) == {"standard": 0}
    with pytest.raises(Unavailable):
        book(tenant, days_ahead=9, nights=2)
    night.refresh_from_db()
    assert (night.closed, night.rooms_booked, night.rooms_total) == (True, 0, 3)


def test_a_night_closed_before_warming_stays_closed_in_the_warm_copy(api, as_manager, tenant, standard):
    edit_cell(as_manager, standard, night_of(standard, 10).date, "close")

    warm()

    assert available(search(api, tenant)) == {"standard": 0}


def test_opening_a_closed_night_sells_it_again(
    api, as_manager, tenant, standard, django_capture_on_commit_callbacks
):
    date = night_of(standard, 10).date
    edit_cell(as_manager, standard, date, "close")
    warm()

    with django_capture_on_commit_callbacks(execute=True):
        edit_cell(as_manager, standard, date, "open")

    assert available(search(api, tenant)) == {"standard": 3}
    assert book(tenant, days_ahead=10, nights=1).check_in == date


def test_closing_keeps_the_bookings_already_made(as_manager, tenant, standard):
    reservation = book(tenant)

    edit_cell(as_manager, standard, reservation.check_in, "close")

    reservation.refresh_from_db()
    assert reservation.status == "confirmed"
    assert night_of(standard, 10).rooms_booked == 1


def test_saving_what_is_already_there_changes_and_audits_nothing(as_manager, standard):
    response = edit_cell(as_manager, standard, night_of(standard, 10).date, "open")

    assert response.status_code == 302
    assert calendar_events() == []


# --- editing a range ----------------------------------------------------------------------

def test_bulk_edit_sets_a_rate_on_the_chosen_weekdays_of_a_range(as_manager, tenant, standard):
    first, last = tenant.local_today() + 7 * DAY, tenant.local_today() + 20 * DAY

    response = bulk(as_manager, [standard], first, last, "set_rate", "150", weekdays=[5, 6])

    assert response.status_code == 302
    with scopes_disabled():
        nights = NightlyInventory.objects.filter(room_type=standard, date__range=(first - DAY, last + DAY))
        special = {night.date for night in nights if night.rate_override == Decimal("150.00")}
        untouched = {night.date for night in nights if night.rate_override is None}
    assert special == {first + DAY * i for i in range(14) if (first + DAY * i).weekday() >= 5}
    assert len(special) == 4 and len(special) + len(untouched) == 16
    [event] = calendar_events()
    assert event.details["nights"] == 4
    assert event.details["dates"] == sorted(day.isoformat() for day in special)


def test_bulk_edit_closes_several_room_types_with_an_event_each(as_manager, tenant, standard):
    suite = RoomTypeFactory(tenant=tenant, code="suite", name="Suite")
    first = tenant.local_today() + 30 * DAY

    response = bulk(as_manager, [standard, suite], first, first + 2 * DAY, "close")

    assert response.status_code == 302
    with scopes_disabled():
        closed = NightlyInventory.objects.filter(closed=True)
        assert sorted((night.room_type.code, night.date) for night in closed) == sorted(
            (code, first + DAY * i) for code in ("standard", "suite") for i in range(3)
        )
    assert [event.details["room_type"] for event in calendar_events()] == ["standard", "suite"]
    assert "6 nights changed." in [m.message for m in as_manager.get(CALENDAR).context["messages"]]


def test_a_bulk_edit_reaching_nights_not_open_changes_nothing(as_manager, tenant, standard):
    suite = RoomTypeFactory(tenant=tenant, code="suite", name="Suite", inventory_days=40)
    first = tenant.local_today() + 30 * DAY

    response = bulk(as_manager, [standard, suite], first, first + 20 * DAY, "close")

    assert response.status_code == 200
    assert "not open for sale yet" in str(response.context["bulk_form"].non_field_errors())
    with scopes_disabled():
        assert not NightlyInventory.objects.filter(closed=True).exists()
    assert calendar_events() == []


# --- bad input ------------------------------------------------------------------------------

@pytest.mark.parametrize(("rate", "message"), [
    ("-5", "A rate cannot be negative."),
    ("abc", "Enter a number, such as 150 or 149.50."),
    ("NaN", "Enter a number, such as 150 or 149.50."),
    ("1e9", "A rate cannot be above 100000.00."),
    ("99.999", "A rate has at most two decimals."),
    ("\x00", "Enter a number, such as 150 or 149.50."),
])
def test_a_bad_rate_in_a_cell_is_explained_and_nothing_is_written(as_manager, standard, rate, message):
    night = night_of(standard, 10)

    response = edit_cell(as_manager, standard, night.date, "set_rate", rate)

    assert response.status_code == 200
    assert response.context["cell_error"]["messages"] == [message]
    night.refresh_from_db()
    assert night.rate_override is None
    assert calendar_events() == []


def test_a_comma_decimal_rate_is_read_as_staff_meant_it(as_manager, standard):
    night = night_of(standard, 10)

    edit_cell(as_manager, standard, night.date, "set_rate", "149,50")

    night.refresh_from_db()
    assert night.rate_override == Decimal("149.50")


@pytest.mark.parametrize("fields", [
    {"date": "not-a-date"}, {"date": "9999-12-31"}, {"room_type": "x"}, {"room_type": "999999"},
    {"action": "explode"}, {"date": "2000-01-01"},
])
def test_a_cell_post_that_cannot_be_read_is_an_error_on_the_page(as_manager, tenant, standard, fields):
    data = {"hotel": "hotel-sol", "room_type": standard.pk, "date": night_of(standard, 10).date.isoformat(),
            "action": "close", **fields}

    response = as_manager.post(CALENDAR, data)

    assert response.status_code == 200
    assert response.context["cell_error"]["messages"]
    with scopes_disabled():
        assert not NightlyInventory.objects.filter(closed=True).exists()


@pytest.mark.parametrize(("overrides", "field"), [
    ({"last": -1}, "last"),
    ({"action": "set_rate", "rate": ""}, "rate"),
    ({"action": "set_rate", "rate": "-1"}, "rate"),
    ({"last": 400}, "last"),
    ({"weekdays": [9]}, "weekdays"),
])
def test_bad_bulk_input_gives_field_errors(as_manager, tenant, standard, overrides, field):
    today = tenant.local_today()
    last = today + DAY * overrides.pop("last", 5)
    fields = {"action": "close", **overrides}

    response = bulk(as_manager, [standard], today + 2 * DAY, last, **fields)

    assert response.status_code == 200
    assert field in response.context["bulk_form"].errors
    assert calendar_events() == []


def test_a_bulk_edit_needs_a_room_type(as_manager, tenant, standard):
    response = bulk(as_manager, [], tenant.local_today(), tenant.local_today(), "close")

    assert "room_types" in response.context["bulk_form"].errors


# --- who may see and change ---------------------------------------------------------------

def test_staff_may_look_but_not_change(as_staff, tenant, standard):
    page = as_staff.get(CALENDAR)
    assert page.status_code == 200
    assert 'name="rate"' not in page.content.decode()

    response = edit_cell(as_staff, standard, night_of(standard, 10).date, "close")

    assert response.status_code == 403
    assert not night_of(standard, 10).closed


def test_the_other_hotels_calendar_does_not_open(as_manager, other_standard):
    assert as_manager.get(CALENDAR, {"hotel": "harbor-inn"}).status_code == 404


def test_the_other_hotels_nights_cannot_be_changed(as_manager, tenant, standard, other_standard):
    date = night_of(other_standard, 10).date

    elsewhere = edit_cell(as_manager, other_standard, date, "close", hotel="harbor-inn")
    smuggled = edit_cell(as_manager, other_standard, date, "close")

    assert elsewhere.status_code == 404
    assert smuggled.status_code == 200 and smuggled.context["cell_error"]["messages"]
    assert not night_of(other_standard, 10).closed
    assert calendar_events() == []


def test_a_superuser_picks_the_hotel(as_superuser, tenant, other_tenant, standard, other_standard):
    page = as_superuser.get(CALENDAR, {"hotel": "harbor-inn"})

    assert page.status_code == 200
    assert page.context["hotel"] == other_tenant
    assert [rt.code for rt in page.context["room_types"]] == ["standard"]
    assert cell_of(page, other_standard, other_tenant.local_today()) is not None
    assert 'id="hotel-picker"' in page.content.decode()


def test_someone_without_a_hotel_cannot_open_the_calendar(client, db):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(CALENDAR).status_code == 403


def test_someone_at_two_hotels_edits_only_where_they_manage(as_manager, manager, other_tenant,
                                                           other_standard):
    MembershipFactory(user=manager, tenant=other_tenant, role=TenantMembership.Role.STAFF)
    page = as_manager.get(CALENDAR, {"hotel": "harbor-inn"})

    assert page.status_code == 200
    assert [hotel.slug for hotel in page.context["hotels"]] == ["harbor-inn", "hotel-sol"]
    assert not page.context["can_edit"]
    date = night_of(other_standard, 10).date
    assert edit_cell(as_manager, other_standard, date, "close", hotel="harbor-inn").status_code == 403
    assert not night_of(other_standard, 10).closed


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_bookings_racing_a_closing_either_come_first_or_are_refused(tenant):
    from reservations.models import Reservation
    from reservations.services.calendar import inventory_update
    from tests.reservations.test_overbooking_postgres import run_together

    roomy = RoomTypeFactory(tenant=tenant, code="roomy", room_count=10, inventory_days=20)
    check_in, check_out = stay(5, 2, tenant=tenant)
    def guest(n):
        return lambda: reservation_create(
            tenant=tenant, room_type="roomy", check_in=check_in, check_out=check_out, guests=1,
            guest_name=f"Guest {n}", guest_email=f"guest{n}@example.com", guest_phone=f"+346123450{n:02d}",
            source="api",
        )

    guests = [guest(n) for n in range(8)]
    closing = lambda: inventory_update(  # noqa: E731
        tenant=tenant, room_type=roomy, dates=[check_in + DAY], closed=True, actor="user:1"
    )

    outcomes = run_together([*guests, closing])

    assert {type(outcome).__name__ for outcome in outcomes[:-1]} <= {"Reservation", "Unavailable"}
    assert outcomes[-1] == 1
    with scopes_disabled():
        booked = Reservation.objects.filter(room_type=roomy).count()
        nights = NightlyInventory.objects.filter(room_type=roomy, date__in=[check_in, check_in + DAY])
        assert [night.rooms_booked for night in nights.order_by("date")] == [booked, booked]
    with pytest.raises(Unavailable):
        guest(99)()
