"""A booking asked for during a PMS outage is never dropped: it is kept as a
PendingBooking, the guest is told it will be confirmed when the system is back,
and a retry books it through the same rules and tells the guest the outcome."""
import datetime

import pytest
from django_scopes import scopes_disabled

from reservations.models import PendingBooking, Reservation
from reservations.pms.breaker import State, breaker_for
from reservations.pms.errors import PMSCallFailed
from reservations.tasks import retry_pending_bookings
from tests.agent.conftest import Chat, days_ahead, es_day
from tests.factories import ChannelAccountFactory
from tests.webhooks.graph_api import FakeGraphAPI
from webhooks.models import Conversation, OutboundMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def graph_api(settings):
    with FakeGraphAPI() as fake:
        settings.WHATSAPP_API_BASE_URL = fake.base_url
        settings.WHATSAPP_ACCESS_TOKEN = "graph-token"
        yield fake


@pytest.fixture
def chat(qlo_hotel):
    account = ChannelAccountFactory(tenant=qlo_hotel, external_id="100000000000001")
    return Chat(Conversation.objects.create(
        tenant=qlo_hotel, channel="whatsapp", channel_account=account, guest_id="34612345678",
        guest_phone="+34612345678",
    ))


def reach_summary(chat, tenant):
    check_in = days_ahead(tenant, 10)
    chat.send(f"quiero reservar del {es_day(check_in)} al {es_day(check_in + datetime.timedelta(days=2))} "
              "para 2 personas")
    chat.send("la standard")
    chat.send("Ana García")
    return chat.send("ana@example.com")


@pytest.fixture
def deferred(chat, qlo_hotel, qlo):
    """A guest said yes to the summary while QloApps was off the network."""
    assert "¿Confirmo la reserva?" in reach_summary(chat, qlo_hotel)
    qlo.stop()
    chat.reply = chat.send("sí")
    return chat


def pending():
    with scopes_disabled():
        return PendingBooking.objects.get()


def told(chat) -> list[str]:
    with scopes_disabled():
        replies = OutboundMessage.objects.filter(conversation=chat.conversation)
        return list(replies.values_list("text", flat=True))


def test_the_guest_is_told_it_will_be_confirmed_when_the_system_is_back(deferred):
    assert "te la confirmaremos por aquí en cuanto vuelva a funcionar" in deferred.reply
    assert pending().status == "pending"
    assert pending().notify == {"conversation_id": deferred.conversation.pk}
    with scopes_disabled():
        assert not Reservation.objects.exists()


def test_a_second_yes_keeps_one_pending_booking(deferred):
    deferred.send("sí")

    with scopes_disabled():
        assert PendingBooking.objects.count() == 1


def test_the_retry_books_it_and_tells_the_guest_the_code(deferred, qlo, graph_api,
                                                         django_capture_on_commit_callbacks):
    qlo.start()

    with django_capture_on_commit_callbacks(execute=True):
        outcomes = retry_pending_bookings.apply().get()

    assert outcomes["confirmed"] == 1
    booking = pending()
    assert booking.reservation.external_reference == str(qlo.live_bookings()[0]["id"])
    [message] = told(deferred)
    assert f"tu reserva está confirmada. Tu código es {booking.reservation.code}" in message
    assert graph_api.sent_texts == [message]
    deferred.conversation.refresh_from_db()
    assert booking.reservation.code in deferred.conversation.slots["my_codes"]


def test_a_room_gone_meanwhile_is_rejected_and_the_guest_told(deferred, qlo):
    qlo.room_types[11]["rooms"] = []
    qlo.start()

    assert retry_pending_bookings.apply().get()["rejected"] == 1

    assert pending().status == "rejected"
    [message] = told(deferred)
    assert "ya no está disponible" in message


def test_while_the_pms_is_still_down_it_stays_pending_and_nobody_is_told(deferred):
    assert retry_pending_bookings.apply().get()["pending"] == 1

    assert (pending().status, pending().attempts) == ("pending", 1)
    assert told(deferred) == []


def test_the_circuit_closing_retries_the_pending_bookings(deferred, qlo, qlo_hotel, api, graph_api, settings,
                                                          django_capture_on_commit_callbacks):
    settings.PMS_CIRCUIT_RECOVERY_SECONDS = 0  # the trial call is due at once
    breaker = breaker_for(qlo_hotel, "hotel_ari", failure_threshold=1)
    breaker.before_call()
    breaker.record_failure(error=PMSCallFailed("refused"))
    qlo.start()
    check_in = days_ahead(qlo_hotel, 30)

    with django_capture_on_commit_callbacks(execute=True):  # the trial call succeeds and closes it
        api.get("/api/v1/availability/", {"check_in": check_in, "check_out": check_in + datetime.timedelta(1),
                                          "guests": 1})

    assert breaker.state == State.CLOSED
    assert pending().status == "confirmed"


def test_a_booking_qloapps_took_before_its_answer_was_lost_is_not_made_twice(chat, qlo_hotel, qlo):
    reach_summary(chat, qlo_hotel)
    qlo.misbehave("late", path="/api/bookings", seconds=1.0)
    assert "en cuanto vuelva a funcionar" in chat.send("sí")

    assert retry_pending_bookings.apply().get()["confirmed"] == 1

    [booking] = qlo.live_bookings()
    assert pending().reservation.external_reference == str(booking["id"])
