"""The conversation list is the front desk's inbox: the guests waiting for an
answer first, each with their last message, how long they have waited and
their reservations at the hotel; a fixed number of queries, one hotel's rows."""
import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled

from tests.factories import (
    ConversationFactory,
    InboundMessageFactory,
    OutboundMessageFactory,
    RoomTypeFactory,
    stay,
)
from webhooks.models import Conversation, InboundMessage, OutboundMessage

from .pages import admin_url, rows

pytestmark = pytest.mark.django_db

INBOX = admin_url(Conversation, "changelist")


def minutes_ago(message, minutes: int):
    """Pin when a message was stored (the model stamps it on creation)."""
    field = "received_at" if isinstance(message, InboundMessage) else "created_at"
    with scopes_disabled():
        type(message).objects.filter(pk=message.pk).update(
            **{field: timezone.now() - datetime.timedelta(minutes=minutes)})
    return message


def answered(tenant, *, minutes: int = 30, **fields):
    """The guest asked `minutes` ago and the hotel answered a minute later."""
    question = minutes_ago(InboundMessageFactory(conversation__tenant=tenant, conversation__needs_staff=False,
                                                 text="¿Hay parking?", **fields), minutes)
    minutes_ago(OutboundMessageFactory(inbound=question, text="Sí, en el sótano."), minutes - 1)
    return question.conversation


def waiting(tenant, *, minutes: int = 12, text="¿Me llamáis, por favor?", **fields):
    """Handed over: the guest wrote `minutes` ago and nobody has answered."""
    question = InboundMessageFactory(conversation__tenant=tenant, conversation__needs_staff=True,
                                     text=text, **fields)
    return minutes_ago(question, minutes).conversation


def row_html(page: str, text: str) -> str:
    """The change list's row containing `text`."""
    return next(row for row in page.split("<tr") if text in row)


def test_conversations_waiting_for_an_answer_come_first(as_staff, tenant):
    old_answered = answered(tenant, minutes=300)
    waits = waiting(tenant, minutes=200)
    recent_answered = answered(tenant, minutes=5)

    shown = rows(as_staff.get(INBOX))

    assert shown == [waits, recent_answered, old_answered]
    assert [c.unread for c in shown] == [True, False, False]


def test_opening_a_conversation_marks_it_read(as_staff, tenant):
    waits = waiting(tenant)
    newer = answered(tenant, minutes=1)

    as_staff.get(admin_url(Conversation, "change", waits.pk))

    assert rows(as_staff.get(INBOX)) == [newer, waits]


def test_a_guest_writing_again_after_staff_looked_is_unread_again(as_staff, tenant):
    conversation = waiting(tenant, minutes=30)
    as_staff.get(admin_url(Conversation, "change", conversation.pk))

    InboundMessageFactory(conversation=conversation, text="¿Hola?")

    assert rows(as_staff.get(INBOX))[0].unread is True


def test_each_row_shows_the_last_message_and_the_waiting_time(as_staff, tenant):
    waiting(tenant, minutes=12, text="¿Me llamáis, por favor?")
    answered(tenant, minutes=40)

    page = as_staff.get(INBOX).content.decode()

    unread = row_html(page, "¿Me llamáis, por favor?")
    assert "12 min" in unread
    assert 'class="unread"' in unread
    read = row_html(page, "Sí, en el sótano.")
    assert "Hotel:" in read
    assert 'class="unread"' not in read


def test_the_guests_reservations_at_the_hotel_are_linked(as_staff, tenant, other_tenant, standard, book):
    reservation = book(tenant, guest_phone="+34612345678")
    book(tenant, guest_phone="+34699999999")  # someone else's
    conversation = waiting(tenant, conversation__guest_id="34612345678",
                           conversation__guest_phone="+34612345678")

    page = as_staff.get(INBOX).content.decode()

    row = row_html(page, f"/admin/webhooks/conversation/{conversation.pk}/")
    assert f'/admin/reservations/reservation/{reservation.pk}/change/">{reservation.code}</a>' in row
    assert len(re.findall(r"/admin/reservations/reservation/\d+/change/", row)) == 1


def test_the_inbox_shows_only_the_hotels_own_conversations(as_staff, tenant, other_tenant, standard, book):
    ours = waiting(tenant)
    waiting(other_tenant, text="Harbor question", conversation__guest_name="Harbor Guest")

    response = as_staff.get(INBOX)

    assert rows(response) == [ours]
    assert "Harbor" not in response.content.decode()


def test_reservations_of_the_same_phone_at_another_hotel_are_not_linked(as_staff, tenant, other_tenant, book):
    RoomTypeFactory(tenant=other_tenant, code="standard")
    theirs = book(other_tenant, guest_phone="+34612345678")
    waiting(tenant, conversation__guest_id="34612345678", conversation__guest_phone="+34612345678")

    page = as_staff.get(INBOX).content.decode()

    assert theirs.code not in page


def test_the_inbox_takes_the_same_queries_whatever_the_number_of_rows(
    as_staff, tenant, standard, book, django_assert_max_num_queries
):
    def guest(n: int):
        phone = f"+3461234{n:04d}"
        check_in, check_out = stay(days_ahead=5 + 3 * n, tenant=tenant)
        book(tenant, guest_phone=phone, guest_email=f"guest{n}@example.com", check_in=check_in,
             check_out=check_out)
        question = InboundMessageFactory(conversation__tenant=tenant, conversation__guest_id=phone[1:],
                                         conversation__guest_phone=phone)
        OutboundMessageFactory(inbound=question, text="Un momento")

    guest(0)
    as_staff.get(INBOX)  # sessions, content types: whatever a first request warms up
    with CaptureQueriesContext(connection) as one_row:
        as_staff.get(INBOX)
    for n in range(1, 15):
        guest(n)

    with django_assert_max_num_queries(len(one_row)):
        response = as_staff.get(INBOX)

    assert len(rows(response)) == 15
    assert len(re.findall(r"/admin/reservations/reservation/\d+/change/", response.content.decode())) == 15


def test_sorting_by_a_column_overrides_unread_first(as_staff, tenant):
    waits = waiting(tenant, minutes=200, conversation__guest_name="Zoe")
    read = answered(tenant, minutes=5, conversation__guest_name="Ana")

    shown = rows(as_staff.get(INBOX, {"o": "1"}))  # the guest column (0 is the checkbox)

    assert shown == [read, waits]


def test_a_message_row_of_no_conversation_does_not_break_the_inbox(as_staff, tenant):
    empty = ConversationFactory(tenant=tenant)
    with scopes_disabled():
        assert not OutboundMessage.objects.filter(conversation=empty).exists()

    response = as_staff.get(INBOX)

    assert response.status_code == 200
    assert rows(response) == [empty]


def test_the_state_filter_offers_what_the_agent_waits_for_in_words(as_staff, tenant):
    from tests.factories import ConversationFactory

    ConversationFactory(tenant=tenant, state="confirm_cancel")
    ConversationFactory(tenant=tenant, state="idle")

    page = as_staff.get("/admin/webhooks/conversation/").content.decode()

    assert "Waiting for the guest to confirm a cancellation" in page and "Nothing pending" in page
    assert "Booking: asked for the email" not in page  # no conversation is there
    assert "confirm_cancel</a>" not in page
