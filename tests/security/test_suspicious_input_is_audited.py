"""Text shaped like an attack is audited as SUSPICIOUS_ACTIVITY where it enters
(the booking API, WhatsApp, the web chat, the admin) and is otherwise handled
like any other text: the booking is made, the agent replies. Honest text is not
reported."""
import pytest
from django_scopes import scopes_disabled

from reservations.models import Reservation
from security.models import AuditEvent
from tests.factories import ChannelAccountFactory, RoomTypeFactory
from tests.webhooks import payloads
from tests.webhooks.graph_api import FakeGraphAPI
from webhooks.models import InboundMessage

from .test_hostile_patterns import HONEST, HOSTILE

pytestmark = pytest.mark.django_db

RESERVATIONS = "/api/v1/reservations/"


def reports():
    with scopes_disabled():
        return list(AuditEvent.objects.filter(event_type=AuditEvent.Type.SUSPICIOUS_ACTIVITY,
                                              action="hostile_input").select_related("tenant"))


@pytest.fixture
def whatsapp(settings, tenant):
    """Hotel Sol on WhatsApp, tasks run in-process, replies go to a local stand-in for Meta."""
    settings.WHATSAPP_APP_SECRET = payloads.APP_SECRET
    settings.WHATSAPP_ACCESS_TOKEN = "graph-token"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    ChannelAccountFactory(tenant=tenant, external_id=payloads.SOL_NUMBER_ID)
    RoomTypeFactory(tenant=tenant, code="standard", name="Estándar", max_guests=2)
    with FakeGraphAPI() as graph_api:
        settings.WHATSAPP_API_BASE_URL = graph_api.base_url
        yield graph_api


def send_whatsapp(client, text: str, wamid: str = "wamid.HBgL1"):
    change = payloads.change(payloads.SOL_NUMBER_ID, messages=[payloads.text(wamid, text)])
    return payloads.post(client, payloads.delivery(change))


# --- the booking API -------------------------------------------------------------


@pytest.mark.parametrize(("text", "pattern"), HOSTILE)
def test_hostile_special_requests_are_audited_and_the_booking_is_made(api, booking_payload, tenant, text,
                                                                      pattern):
    response = api.post(RESERVATIONS, {**booking_payload, "special_requests": text}, format="json")

    assert response.status_code == 201
    [report] = reports()
    assert report.tenant == tenant
    assert report.actor.startswith("api_key:")
    assert report.ip_address == "127.0.0.1"
    assert report.details["field"] == "special_requests"
    assert report.details["source"] == "api"
    assert pattern in report.details["patterns"]


def test_a_hostile_guest_name_is_audited_and_kept_as_plain_text(api, booking_payload):
    name = "Robert'); DROP TABLE reservations;--"

    response = api.post(RESERVATIONS, {**booking_payload, "guest_name": name}, format="json")

    assert response.status_code == 201
    assert response.json()["guest_name"] == name
    [report] = reports()
    assert (report.details["field"], report.details["patterns"]) == ("guest_name", ["sql_stacked_query"])


def test_a_hostile_email_is_audited_and_refused_only_as_an_invalid_email(api, booking_payload):
    response = api.post(RESERVATIONS, {**booking_payload, "guest_email": "' OR 1=1 --@example.com"},
                        format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["guest_email"]
    [report] = reports()
    assert report.details["field"] == "guest_email"


def test_every_hostile_field_of_a_request_is_reported(api, booking_payload):
    body = {**booking_payload, "guest_name": "{{ 7*7 }}", "special_requests": "../../etc/passwd"}

    api.post(RESERVATIONS, body, format="json")

    assert sorted(report.details["field"] for report in reports()) == ["guest_name", "special_requests"]


def test_a_replayed_request_is_not_reported_again(api, booking_payload):
    body = {**booking_payload, "special_requests": "<script>alert(1)</script>"}

    first = api.post(RESERVATIONS, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = api.post(RESERVATIONS, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert (first.status_code, again.status_code) == (201, 201)
    assert len(reports()) == 1


@pytest.mark.parametrize("text", HONEST)
def test_honest_text_books_without_a_report(api, booking_payload, text):
    response = api.post(RESERVATIONS, {**booking_payload, "guest_name": text[:150], "special_requests": text},
                        format="json")

    assert response.status_code == 201
    assert reports() == []


# --- WhatsApp and the web chat ---------------------------------------------------


@pytest.mark.parametrize(("text", "pattern"), HOSTILE)
def test_a_hostile_whatsapp_message_is_audited_and_answered(client, whatsapp, tenant, text, pattern):
    response = send_whatsapp(client, text)

    assert response.status_code == 200
    with scopes_disabled():
        [message] = InboundMessage.objects.all()
    assert message.status == InboundMessage.Status.PROCESSED
    assert whatsapp.requests, "the agent's reply was sent"
    [report] = reports()
    assert report.tenant == tenant
    assert report.actor == f"guest:{payloads.GUEST}"
    assert (report.details["source"], report.details["field"]) == ("whatsapp", "text")
    assert pattern in report.details["patterns"]


@pytest.mark.parametrize("text", HONEST)
def test_an_honest_whatsapp_message_is_not_reported(client, whatsapp, text):
    assert send_whatsapp(client, text).status_code == 200

    assert whatsapp.requests
    assert reports() == []


def test_a_redelivered_hostile_message_is_reported_once(client, whatsapp):
    send_whatsapp(client, "{{ 7*7 }}")
    send_whatsapp(client, "{{ 7*7 }}")

    assert len(reports()) == 1


def test_a_hostile_web_chat_message_is_audited_and_answered(api, standard, tenant):
    response = api.post("/api/v1/messages/", {"sender": "visitor-1", "text": "<script>alert(1)</script>"},
                        format="json")

    assert response.status_code == 200
    assert response.json()["reply"]
    [report] = reports()
    assert (report.details["source"], report.details["patterns"]) == ("web", ["script_tag"])
    assert report.actor == "guest:visitor-1"


def test_a_booking_made_through_whatsapp_with_hostile_words_still_happens(client, whatsapp, tenant):
    """The agent reads the sanitized text; the report changes nothing it does."""
    from tests.factories import stay

    check_in, check_out = stay(tenant=tenant)
    send_whatsapp(client, f"Quiero reservar del {check_in:%d/%m/%Y} al {check_out:%d/%m/%Y} para 2 "
                          "personas {{ 7*7 }}", "wamid.1")
    send_whatsapp(client, "estándar", "wamid.2")
    send_whatsapp(client, "Me llamo Ana García", "wamid.3")
    send_whatsapp(client, "ana@example.com", "wamid.4")
    send_whatsapp(client, "sí", "wamid.5")

    with scopes_disabled():
        assert Reservation.objects.filter(tenant=tenant, guest_email="ana@example.com").exists()
    assert len(reports()) == 1
