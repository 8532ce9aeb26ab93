"""A blacklisted guest is refused through the API and through the agent, without
being told why, every refusal is audited, and an entry stops applying at the
instant it expires."""
import datetime
from unittest import mock

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from reservations.models import Reservation
from security.blacklist import is_blacklisted
from security.models import AuditEvent
from tests.factories import BlacklistEntryFactory, stay
from webhooks.agent import respond
from webhooks.models import Conversation

pytestmark = pytest.mark.django_db

RESERVATIONS = "/api/v1/reservations/"


def refusals():
    with scopes_disabled():
        return list(AuditEvent.objects.filter(event_type=AuditEvent.Type.ACCESS_DENIED,
                                              action="reservation_refused"))


def reservations():
    with scopes_disabled():
        return list(Reservation.objects.all())


# --- the API -----------------------------------------------------------------------


def test_the_api_refuses_a_blacklisted_email_without_saying_why(api, booking_payload, tenant):
    BlacklistEntryFactory(tenant=tenant, email="ana.garcia@example.com", reason="Damaged the room")

    response = api.post(RESERVATIONS, booking_payload, format="json")

    assert response.status_code == 403
    assert response.json() == {"error": "guest_not_allowed"}
    assert "Damaged" not in response.content.decode()
    assert reservations() == []
    [refusal] = refusals()
    assert refusal.tenant == tenant
    assert refusal.details["reason"] == "guest_not_allowed"
    assert refusal.details["source"] == "api"
    assert refusal.actor.startswith("api_key:")


def test_the_api_refuses_a_blacklisted_phone_however_it_is_written(api, booking_payload, tenant):
    BlacklistEntryFactory(tenant=tenant, email="", phone="+34612345678")

    response = api.post(RESERVATIONS, {**booking_payload, "guest_phone": "+34 612-34-56-78"}, format="json")

    assert response.status_code == 403
    assert len(refusals()) == 1


def test_an_entry_for_every_hotel_refuses_at_each_of_them(api, booking_payload):
    BlacklistEntryFactory(tenant=None, email="ana.garcia@example.com")

    assert api.post(RESERVATIONS, booking_payload, format="json").status_code == 403


def test_another_hotels_entry_does_not_refuse_here(api, booking_payload, other_tenant):
    BlacklistEntryFactory(tenant=other_tenant, email="ana.garcia@example.com")

    assert api.post(RESERVATIONS, booking_payload, format="json").status_code == 201
    assert refusals() == []


def test_an_inactive_entry_does_not_refuse(api, booking_payload, tenant):
    BlacklistEntryFactory(tenant=tenant, email="ana.garcia@example.com", is_active=False)

    assert api.post(RESERVATIONS, booking_payload, format="json").status_code == 201


# --- the agent ---------------------------------------------------------------------


@pytest.fixture
def conversation(tenant, standard):
    """A WhatsApp guest whose booking waits only for their "yes"."""
    check_in, check_out = stay(tenant=tenant)
    return Conversation.objects.create(
        tenant=tenant, channel="whatsapp", guest_id="34612345678", guest_phone="+34612345678",
        language="es", state="confirm_booking", slots={
            "check_in": check_in.isoformat(), "check_out": check_out.isoformat(), "guests": 2,
            "room_type": "standard", "guest_name": "Ana García", "guest_email": "ana@example.com",
        },
    )


def test_the_agent_refuses_a_blacklisted_guest_without_saying_why(conversation, tenant):
    BlacklistEntryFactory(tenant=tenant, email="", phone="+34612345678", reason="Impago en 2025")

    reply = "\n".join(respond(conversation=conversation, text="sí"))

    assert "no podemos completar esta reserva" in reply
    for word in ("Impago", "blacklist", "lista negra", "bloque"):
        assert word not in reply
    assert reservations() == []
    [refusal] = refusals()
    assert refusal.details["source"] == "whatsapp"
    assert refusal.actor == "guest:34612345678"


def test_the_agent_books_a_guest_who_is_not_on_the_list(conversation, tenant):
    BlacklistEntryFactory(tenant=tenant, email="someone.else@example.com")

    respond(conversation=conversation, text="sí")

    assert len(reservations()) == 1
    assert refusals() == []


# --- expiry ---------------------------------------------------------------------


def frozen_at(moment: datetime.datetime):
    """timezone.now() answers `moment` meanwhile (time is outside the process)."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


@pytest.fixture
def frozen_now():
    now = timezone.now().replace(microsecond=0)
    with frozen_at(now):
        yield now


@pytest.mark.parametrize(("expires_in", "applies"), [
    (datetime.timedelta(seconds=1), True),
    (datetime.timedelta(0), False),
    (datetime.timedelta(seconds=-1), False),
])
def test_an_entry_stops_applying_at_the_instant_it_expires(tenant, frozen_now, expires_in, applies):
    BlacklistEntryFactory(tenant=tenant, email="ana@example.com", expires_at=frozen_now + expires_in)

    assert timezone.now() == frozen_now
    assert is_blacklisted(tenant=tenant, email="ana@example.com") is applies


def test_one_second_before_expiry_the_api_refuses_and_one_second_after_it_books(api, booking_payload, tenant):
    expiry = timezone.now() + datetime.timedelta(minutes=1)
    BlacklistEntryFactory(tenant=tenant, email="ana.garcia@example.com", expires_at=expiry)

    with frozen_at(expiry - datetime.timedelta(seconds=1)):
        before = api.post(RESERVATIONS, booking_payload, format="json")
    with frozen_at(expiry + datetime.timedelta(seconds=1)):
        after = api.post(RESERVATIONS, booking_payload, format="json")

    assert (before.status_code, after.status_code) == (403, 201)
