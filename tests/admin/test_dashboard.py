"""The admin index is the "Today" dashboard of the signed-in member's hotel:
who arrives, leaves and stays, occupancy, guests and bookings waiting, the PMS
and the last 30 days, in a fixed number of queries."""
import datetime
from decimal import Decimal

import pytest
from babel.dates import format_date
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from reservations.models import NightlyInventory, PendingBooking, Reservation
from reservations.pms.breaker import breaker_for
from reservations.pms.errors import PMSCallFailed
from tenants.models import TenantMembership
from tests.factories import ConversationFactory, MembershipFactory, RoomTypeFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
INDEX = "/admin/"


def stay(room_type, *, name, starts: int, nights: int = 2, status="confirmed", source="api",
         total="200.00", created_days_ago: int = 0):
    """A reservation `starts` days from the hotel's today, written as the services leave it."""
    tenant = room_type.tenant
    check_in = tenant.local_today() + starts * DAY
    with scopes_disabled():
        reservation = Reservation.objects.create(
            tenant=tenant, room_type=room_type, guest_name=name, guest_email="guest@example.com",
            guest_phone="+34612345678", guests=2, check_in=check_in, check_out=check_in + nights * DAY,
            nights=nights, nightly_rates=["100.00"] * nights, subtotal=Decimal(total), total=Decimal(total),
            currency=tenant.currency, source=source, status=status,
        )
        if created_days_ago:
            Reservation.objects.filter(pk=reservation.pk).update(
                created_at=timezone.now() - created_days_ago * DAY
            )
    return reservation


def codes_in(stays) -> list[str]:
    return [stay.reservation.code for stay in stays]


def test_arrivals_are_todays_confirmed_and_checked_in_stays(as_manager, standard):
    coming = stay(standard, name="Ana García", starts=0)
    arrived = stay(standard, name="Bruno Díaz", starts=0, status="checked_in")
    stay(standard, name="Carla Ruiz", starts=0, status="cancelled")
    stay(standard, name="Dario Gil", starts=1)

    response = as_manager.get(INDEX)

    assert response.status_code == 200
    assert codes_in(response.context["stays"].arrivals) == [coming.code, arrived.code]
    page = response.content.decode()
    assert "Ana García" in page and coming.code in page
    assert reverse("admin:reservations_reservation_change", args=[coming.pk]) in page
    assert "Carla Ruiz" not in page and "Dario Gil" not in page


def test_departures_are_todays_check_outs_not_cancelled(as_manager, standard):
    leaving = stay(standard, name="Ana García", starts=-2, status="checked_in")
    left = stay(standard, name="Bruno Díaz", starts=-3, nights=3, status="checked_out")
    stay(standard, name="Carla Ruiz", starts=-2, status="no_show")

    response = as_manager.get(INDEX)

    assert codes_in(response.context["stays"].departures) == [leaving.code, left.code]
    assert "Carla Ruiz" not in response.content.decode()


def test_in_house_are_checked_in_guests_and_flagged_missed_check_ins(as_manager, standard):
    staying = stay(standard, name="Ana García", starts=-1, nights=3, status="checked_in")
    missed = stay(standard, name="Bruno Díaz", starts=-1, nights=3)
    stay(standard, name="Carla Ruiz", starts=0)  # arriving today: listed under arrivals only
    stay(standard, name="Dario Gil", starts=-2, status="checked_in")  # leaves today

    response = as_manager.get(INDEX)

    in_house = response.context["stays"].in_house
    assert [(s.reservation.code, s.not_checked_in) for s in in_house] == [
        (staying.code, False), (missed.code, True),
    ]
    assert "not checked in yet" in response.content.decode()


def test_occupancy_tonight_and_next_7_and_30_nights_per_room_type(as_manager, tenant):
    standard = RoomTypeFactory(tenant=tenant, code="standard", name="Standard", room_count=4)
    RoomTypeFactory(tenant=tenant, code="suite", name="Suite", room_count=1, base_rate=Decimal("300"))
    today = tenant.local_today()
    with scopes_disabled():
        for days, rooms in ((0, 2), (3, 4), (20, 1), (30, 4)):  # the 31st night is in no window
            NightlyInventory.objects.filter(room_type=standard, date=today + days * DAY).update(
                rooms_booked=rooms
            )

    response = as_manager.get(INDEX)

    rows = {row.room_type.name: row.windows for row in response.context["occupancy"]}
    assert rows["Standard"] == {"tonight": "50%", "next_7": "21%", "next_30": "6%"}
    assert rows["Suite"] == {"tonight": "0%", "next_7": "0%", "next_30": "0%"}


def test_waiting_conversations_oldest_first_with_links(as_manager, tenant):
    now = timezone.now()
    recent = ConversationFactory(tenant=tenant, guest_name="Recent Guest", needs_staff=True,
                                 last_activity_at=now - datetime.timedelta(minutes=5))
    oldest = ConversationFactory(tenant=tenant, guest_name="Oldest Guest", needs_staff=True,
                                 last_activity_at=now - datetime.timedelta(hours=3))
    ConversationFactory(tenant=tenant, guest_name="Agent Handles", needs_staff=False)

    response = as_manager.get(INDEX)

    waiting = response.context["conversations"]
    assert [c.pk for c in waiting.rows] == [oldest.pk, recent.pk] and waiting.count == 2
    page = response.content.decode()
    assert page.index("Oldest Guest") < page.index("Recent Guest")
    assert reverse("admin:webhooks_conversation_change", args=[oldest.pk]) in page
    assert "Agent Handles" not in page


def test_pending_bookings_are_listed(as_manager, tenant, standard):
    with scopes_disabled():
        waiting = PendingBooking.objects.create(
            tenant=tenant, client_reference="pb-1", source="whatsapp",
            request={"guest_name": "Elena Mora", "room_type": "standard", "check_in": "2026-12-20",
                     "check_out": "2026-12-22"},
        )
        PendingBooking.objects.create(tenant=tenant, client_reference="pb-2", source="api",
                                      request={"guest_name": "Settled Guest"}, status="confirmed")

    response = as_manager.get(INDEX)

    assert response.context["pending"].count == 1
    page = response.content.decode()
    assert "Elena Mora" in page and "Settled Guest" not in page
    assert "Standard" in page and "Dec 20 → Dec 22" in page
    assert reverse("admin:reservations_pendingbooking_change", args=[waiting.pk]) in page


def test_an_open_pms_circuit_is_shown(as_manager, tenant):
    tenant.pms_backend = "qloapps"
    tenant.save()
    breaker_for(tenant, "bookings", failure_threshold=1).record_failure(error=PMSCallFailed("timed out"))

    response = as_manager.get(INDEX)

    states = {circuit.endpoint: circuit.css for circuit in response.context["circuits"]}
    assert states == {"hotel_ari": "closed", "bookings": "open", "hotel_room_types": "closed"}
    assert "Down: bookings are queued" in response.content.decode()


def test_a_hotel_without_external_pms_says_so(as_manager, tenant):
    assert "there is no external PMS to reach" in as_manager.get(INDEX).content.decode()


def test_bookings_and_revenue_of_the_last_30_days_by_source(as_manager, standard):
    stay(standard, name="A", starts=5, source="whatsapp", total="300.00")
    stay(standard, name="B", starts=6, source="whatsapp", total="100.00", status="cancelled")
    stay(standard, name="C", starts=7, source="api", total="250.00", created_days_ago=3)
    stay(standard, name="D", starts=8, source="api", total="999.00", created_days_ago=40)

    response = as_manager.get(INDEX)

    history = response.context["history"]
    assert history.total_bookings == 3
    assert history.total_revenue == "€550.00"
    assert {entry["label"]: entry["value"] for entry in history.bookings.legend} == {
        "API": "1", "WhatsApp": "2",
    }
    assert {entry["label"]: entry["value"] for entry in history.revenue.legend} == {
        "API": "€250.00", "WhatsApp": "€300.00",
    }
    assert "<svg" in response.content.decode()


def test_money_and_dates_follow_the_staff_members_language(as_manager, tenant, standard):
    stay(standard, name="Ana García", starts=0, total="2340.00")

    response = as_manager.get(INDEX, HTTP_ACCEPT_LANGUAGE="es")

    page = response.content.decode()
    assert "2.340,00\xa0€" in page
    assert format_date(tenant.local_today(), "full", locale="es") in page


def test_query_count_does_not_grow_with_the_hotel(client, tenant, django_assert_max_num_queries):
    manager = MembershipFactory(tenant=tenant, role=TenantMembership.Role.MANAGER).user
    client.force_login(manager)
    small = RoomTypeFactory(tenant=tenant, code="standard", room_count=10)
    for starts in (0, -1):
        stay(small, name="Small Guest", starts=starts, status="checked_in")
    ConversationFactory(tenant=tenant, needs_staff=True)
    with CaptureQueriesContext(connection) as few:
        assert client.get(INDEX).status_code == 200

    room_types = [small] + [RoomTypeFactory(tenant=tenant, room_count=10) for _ in range(4)]
    for n in range(38):
        stay(room_types[n % 5], name=f"Guest {n}", starts=(n % 5) - 2, created_days_ago=n % 30,
             status=("confirmed", "checked_in")[n % 2], source=("api", "whatsapp", "web")[n % 3])
    for _ in range(15):
        ConversationFactory(tenant=tenant, needs_staff=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(INDEX)

    assert response.status_code == 200
    assert len(response.context["occupancy"]) == 5
    assert response.context["conversations"].count == 16 and len(response.context["conversations"].rows) == 10
    assert len(few.captured_queries) <= 20


def test_staff_see_nothing_of_another_hotel(as_staff, tenant, standard, other_tenant, other_standard):
    ours = stay(standard, name="Ana García", starts=0)
    theirs = stay(other_standard, name="Harbor Guest", starts=0, source="web")
    ConversationFactory(tenant=other_tenant, guest_name="Harbor Waiting", needs_staff=True)

    response = as_staff.get(INDEX)

    page = response.content.decode()
    assert ours.code in page
    assert theirs.code not in page
    assert "Harbor" not in page
    assert response.context["conversations"].count == 0


def test_another_hotels_slug_is_not_found_for_a_non_member(as_staff, tenant, other_tenant, other_standard):
    theirs = stay(other_standard, name="Harbor Guest", starts=0)

    response = as_staff.get(INDEX, {"hotel": other_tenant.slug})

    assert response.status_code == 404
    assert theirs.code not in response.content.decode()


def test_a_member_of_two_hotels_picks_one(client, tenant, standard, other_tenant, other_standard):
    user = UserFactory()
    MembershipFactory(user=user, tenant=tenant)
    MembershipFactory(user=user, tenant=other_tenant)
    client.force_login(user)
    theirs = stay(other_standard, name="Harbor Guest", starts=0, source="web")

    first = client.get(INDEX)
    picked = client.get(INDEX, {"hotel": other_tenant.slug})

    assert first.context["hotel"] == other_tenant  # "Harbor Inn" sorts before "Hotel Sol"
    assert picked.context["hotel"] == other_tenant and theirs.code in picked.content.decode()
    assert f'value="{tenant.slug}"' in first.content.decode()


def test_superuser_picks_any_hotel(as_superuser, tenant, standard, other_tenant, other_standard):
    ours = stay(standard, name="Ana García", starts=0)

    response = as_superuser.get(INDEX, {"hotel": tenant.slug})

    assert response.status_code == 200
    assert ours.code in response.content.decode()
    assert "Back office — Today at Hotel Sol" in response.content.decode()


def test_the_list_of_screens_stays_on_the_page(as_manager, standard):
    page = as_manager.get(INDEX).content.decode()

    assert reverse("admin:reservations_reservation_changelist") in page
    assert reverse("admin:webhooks_conversation_changelist") in page


def test_a_hostile_hotel_parameter_is_not_a_server_error(as_manager, standard):
    for value in ("'; DROP TABLE--", "x" * 5000, "%", "hotel-sol\n"):
        assert as_manager.get(INDEX, {"hotel": value}).status_code in (400, 404)
    assert as_manager.get(INDEX, {"hotel": "a\x00b"}).status_code == 400


def test_a_pending_booking_with_an_odd_request_still_shows(as_manager, tenant):
    with scopes_disabled():
        PendingBooking.objects.create(tenant=tenant, client_reference="pb-odd", source="api",
                                      request=["not", "a", "dict"])
        PendingBooking.objects.create(tenant=tenant, client_reference="pb-odd-2", source="api",
                                      request={"room_type": ["x"], "check_in": "31/12", "check_out": None})

    response = as_manager.get(INDEX)

    assert response.status_code == 200
    assert "pb-odd" in response.content.decode() and response.context["pending"].count == 2


def test_a_superuser_lands_on_the_first_hotel_with_every_hotel_to_pick(as_superuser, tenant, other_tenant):
    response = as_superuser.get(INDEX)

    hotels = response.context["hotels"]
    assert {tenant, other_tenant} <= set(hotels)
    assert response.context["hotel"] == hotels[0]
    assert f'<option value="{other_tenant.slug}"' in response.content.decode()
