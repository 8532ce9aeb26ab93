"""The front desk sets a night's rate in the availability calendar."""
import datetime
from decimal import Decimal

from django.urls import reverse
from django_scopes import scopes_disabled

from reservations.models import NightlyInventory
from reservations.services import reservation_create
from reservations.services.calendar import inventory_update
from tests.browser.conftest import sign_in
from tests.factories import RoomTypeFactory, stay


def hotel_with_some_history(tenant, standard):
    """A suite, a booking and a closed night, so the calendar has something to show."""
    suite = RoomTypeFactory(tenant=tenant, code="suite", name="Suite", base_rate=Decimal("240.00"),
                            room_count=2)
    check_in, check_out = stay(2, 3, tenant=tenant)
    reservation_create(tenant=tenant, room_type="standard", check_in=check_in, check_out=check_out, guests=2,
                       guest_name="Ana García", guest_email="ana@example.com", guest_phone="612345678",
                       source="admin")
    inventory_update(tenant=tenant, room_type=suite, dates=[check_in + datetime.timedelta(days=1)],
                     closed=True, actor="user:setup")
    inventory_update(tenant=tenant, room_type=suite, dates=[check_in + datetime.timedelta(days=4)],
                     rate="199", actor="user:setup")


def test_front_desk_sets_a_nights_rate_inline(page, front_desk, tenant, standard):
    hotel_with_some_history(tenant, standard)
    night = tenant.local_today() + datetime.timedelta(days=10)
    cell = f"#cell-{standard.pk}-{night.isoformat()}"
    sign_in(page, "lucia")

    page.open(reverse("admin:reservations_nightlyinventory_calendar"))
    page.wait_for(cell)
    page.shot("calendar")
    rate = page.find(f"{cell} input[name=rate]")
    rate.clear()
    rate.send_keys("149.50")
    page.find(f"{cell} button[value=set_rate]").click()

    assert "149" in page.wait_for_text(f"{cell} .rate", "149")
    assert any("saved" in message for message in page.messages())
    assert page.find(f"{cell} input[name=rate]").get_attribute("value") == "149.50"
    with scopes_disabled():
        assert NightlyInventory.objects.get(room_type=standard, date=night).rate_override == Decimal("149.50")


def test_front_desk_closes_a_night_and_opens_it_again(page, front_desk, tenant, standard):
    night = tenant.local_today() + datetime.timedelta(days=3)
    cell = f"#cell-{standard.pk}-{night.isoformat()}"
    sign_in(page, "lucia")

    page.open(reverse("admin:reservations_nightlyinventory_calendar"))
    page.wait_for(cell).find_element("css selector", "button[value=close]").click()
    page.wait_for(f"{cell}.closed")
    page.find(f"{cell} button[value=open]").click()
    page.wait_for(f"{cell} button[value=close]")

    with scopes_disabled():
        assert not NightlyInventory.objects.get(room_type=standard, date=night).closed


def test_front_desk_closes_a_week_of_nights_at_once(page, front_desk, tenant, standard):
    first = tenant.local_today() + datetime.timedelta(days=20)
    sign_in(page, "lucia")

    page.open(reverse("admin:reservations_nightlyinventory_calendar"))
    page.wait_for("#bulk-edit summary").click()
    page.find(f"#bulk-edit input[name=bulk-room_types][value='{standard.pk}']").click()
    for name, day in (("bulk-first", first), ("bulk-last", first + datetime.timedelta(days=6))):
        field = page.find(f"#id_{name}")
        page.driver.execute_script("arguments[0].value = arguments[1]", field, day.isoformat())
    page.find("#bulk-edit input[name=bulk-action][value=close]").click()
    page.shot("calendar-bulk")
    page.find("#bulk-edit input[type=submit]").click()

    page.wait_for("ul.messagelist li")
    assert "7 nights changed." in page.messages()
    with scopes_disabled():
        assert NightlyInventory.objects.filter(room_type=standard, closed=True).count() == 7
