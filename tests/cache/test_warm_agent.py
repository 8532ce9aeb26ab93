"""The agent asks `availability_for`, so it answers from the warm copy too, and
never offers a room booked since the copy was warmed."""
import datetime
from decimal import Decimal

import pytest

from reservations.cache_warming import warm
from reservations.services import reservation_create
from tests.agent.conftest import Chat, en_day, new_conversation
from tests.factories import RoomTypeFactory, TenantFactory

from .helpers import CacheReads

pytestmark = pytest.mark.django_db


@pytest.fixture
def inn(db):
    inn = TenantFactory(slug="harbor-inn", name="Harbor Inn", timezone="America/New_York", country="US",
                        currency="USD", language="en")
    RoomTypeFactory(tenant=inn, code="suite", name="Suite", max_guests=4, base_rate=Decimal("300"),
                    room_count=1)
    return inn


def ask(inn, check_in: datetime.date) -> str:
    check_out = check_in + datetime.timedelta(days=2)
    chat = Chat(new_conversation(inn, guest_id="16175550111", guest_phone="+16175550111"))
    return chat.send(f"Hi, any rooms from {en_day(check_in)} to {en_day(check_out)} for 2 people?")


def test_the_agent_answers_from_the_warm_copy(inn):
    warm()
    reads = CacheReads()

    reply = ask(inn, inn.local_today() + datetime.timedelta(days=10))

    assert "Suite (up to 4 guests): $300.00 per night, total $600.00. 1 left." in reply
    assert reads("availability", "hit") == 1


def test_the_agent_never_offers_the_room_booked_after_warming(inn, django_capture_on_commit_callbacks):
    check_in = inn.local_today() + datetime.timedelta(days=10)
    warm()
    with django_capture_on_commit_callbacks(execute=True):
        reservation_create(
            tenant=inn, room_type="suite", check_in=check_in, check_out=check_in + datetime.timedelta(days=2),
            guests=2, guest_name="John Smith", guest_email="john@example.com", guest_phone="+16175550100",
            source="api",
        )

    reply = ask(inn, check_in)

    assert "Suite (up to 4 guests): not available." in reply
    assert "We have no rooms left for those dates." in reply
