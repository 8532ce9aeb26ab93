"""Hypothesis builds deliveries that resemble the Cloud API envelope — any slot
may hold the right shape or any JSON at all, strings may carry NUL and lone
surrogates — signs them with the app secret and posts them through Django.
No answer may be a 5xx, nothing may be logged as an error, and a refused
delivery stores nothing."""
import json
import logging

import pytest
from django.test import Client
from django_scopes import scopes_disabled
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.factories import OutboundMessageFactory
from webhooks.models import InboundMessage

from . import payloads

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

OUR_WAMID = "wamid.out.fuzz"

unstorable = st.sampled_from(["\x00", "\ud800", "\udfff", "\ud83d"])
text = st.text(st.one_of(st.characters(), unstorable), max_size=12)
numbers = st.one_of(st.integers(), st.floats(), st.integers(min_value=-(10**30), max_value=10**30))
leaves = st.one_of(st.none(), st.booleans(), numbers, text)
junk = st.recursive(
    leaves, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3), max_leaves=6
)


def maybe(strategy: st.SearchStrategy) -> st.SearchStrategy:
    """Mostly the right shape, one slot in thirty anything: a delivery has dozens
    of slots, and more junk would hardly ever let one through to the storing."""
    return st.integers(0, 29).flatmap(lambda n: strategy if n else junk)


def weighted(*choices: tuple[st.SearchStrategy, int]) -> st.SearchStrategy:
    """One of the strategies, in proportion to its weight (st.one_of weighs them
    all alike and folds repeats into one)."""
    return st.sampled_from([strategy for strategy, weight in choices for _ in range(weight)]).flatmap(
        lambda strategy: strategy
    )


def spiked(*good: str) -> st.SearchStrategy:
    """A plausible string; now and then one with an unstorable character inside, or any text."""
    plausible = st.sampled_from(good)
    spoiled = st.tuples(plausible, unstorable, plausible).map("".join)
    return maybe(weighted((plausible, 6), (spoiled, 1), (text, 1)))


def obj(required: dict, optional: dict | None = None) -> st.SearchStrategy:
    return maybe(st.fixed_dictionaries(required, optional=optional or {}))


def items(strategy: st.SearchStrategy, max_size: int) -> st.SearchStrategy:
    return maybe(st.lists(strategy, max_size=max_size))


epochs = st.integers(min_value=1_500_000_000, max_value=1_900_000_000).map(str)
absurd = st.one_of(st.sampled_from(["-1", "0", "1e400", "1.5", "99999999999999999999", ""]), numbers)
timestamps = maybe(weighted((epochs, 6), (absurd, 1)))
free_text = maybe(text)
ids = spiked("wamid.a", "wamid.b", "wamid.c", OUR_WAMID)
senders = spiked(payloads.GUEST, "447700900123", "BSUID.abc")
receiving_numbers = spiked(payloads.SOL_NUMBER_ID, payloads.HARBOR_NUMBER_ID, "999999999999999")
kinds = maybe(st.sampled_from(["text", "text", "text", "interactive", "button", "image", "reaction"]))

reply = obj({"id": ids, "title": free_text})
message = obj(
    {"from": senders, "id": ids, "timestamp": timestamps, "type": kinds},
    {"text": obj({"body": free_text}),
     "interactive": obj({}, {"button_reply": reply, "list_reply": reply}),
     "button": obj({"text": free_text, "payload": free_text}),
     "context": obj({"id": ids}),
     "image": obj({"id": ids, "caption": free_text}),
     "extra": junk},
)
error = obj({"code": maybe(numbers), "title": free_text, "message": free_text},
            {"error_data": obj({"details": free_text})})
status = obj(
    {"id": ids, "status": maybe(st.sampled_from(["sent", "delivered", "read", "failed", "deleted"])),
     "timestamp": timestamps, "recipient_id": senders},
    {"errors": items(error, 2), "pricing": junk, "conversation": junk},
)
contact = obj({"wa_id": senders}, {"profile": obj({"name": free_text})})
metadata = obj({"phone_number_id": receiving_numbers}, {"display_phone_number": free_text})
value = obj(
    {"messaging_product": maybe(st.just("whatsapp")), "metadata": metadata,
     "messages": items(message, 3), "statuses": items(status, 2)},
    {"contacts": items(contact, 2), "errors": items(error, 1)},
)
change = obj({"field": maybe(st.sampled_from(["messages", "messages", "messages", "account_update"])),
              "value": value})
entry = obj({"id": free_text}, {"changes": maybe(st.lists(change, min_size=1, max_size=2))})
envelopes = obj({"object": maybe(st.just("whatsapp_business_account")),
                 "entry": maybe(st.lists(entry, min_size=1, max_size=2))})


def stored() -> int:
    with scopes_disabled():
        return InboundMessage.objects.count()


def forget_stored() -> None:
    """Examples share one database transaction: without this, the few plausible
    wamids would be stored once and every later example be a redelivery."""
    with scopes_disabled():
        InboundMessage.objects.all().delete()


@pytest.fixture
def replies(hotel_sol, harbor_number, tenant):
    """A reply for statuses to land on, so the status path is exercised too."""
    return OutboundMessageFactory(inbound__conversation__tenant=tenant, external_id=OUR_WAMID,
                                  account_external_id=payloads.SOL_NUMBER_ID)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(envelope=envelopes)
def test_no_signed_delivery_gets_a_5xx_and_refused_ones_store_nothing(
    replies, no_processing, caplog, envelope
):
    caplog.clear()
    forget_stored()

    response = payloads.post(Client(), json.dumps(envelope).encode())

    event(f"answered {response.status_code}")  # --hypothesis-show-statistics: every path is reached
    if response.status_code == 200:
        event(f"stored {min(response.json()['stored'], 1)}, dropped {min(response.json()['dropped'], 1)}")

    assert response.status_code < 500
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert stored() == 0
        assert response.json()["error"] == "invalid_payload"
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
