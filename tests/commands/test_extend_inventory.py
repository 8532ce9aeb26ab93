import io

import pytest
from django.core.management import CommandError, call_command

from reservations.models import NightlyInventory
from tests.factories import RoomTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_standard(other_tenant):
    return RoomTypeFactory(tenant=other_tenant, code="standard")


def extend_inventory(*args) -> str:
    out = io.StringIO()
    call_command("extend_inventory", *args, stdout=out)
    return out.getvalue()


def nights(room_type) -> int:
    return NightlyInventory.objects.with_scopes_disabled().filter(room_type=room_type).count()


def test_every_room_type_gets_a_year_of_nights(standard, other_standard):
    output = extend_inventory()

    assert (nights(standard), nights(other_standard)) == (365, 365)
    assert "Opened 490 nights across 2 room types" in output  # each had 120 nights


def test_one_hotel_only(standard, other_standard):
    extend_inventory("--tenant", "harbor-inn", "--days", "200")

    assert (nights(standard), nights(other_standard)) == (120, 200)


def test_running_again_opens_nothing(standard):
    extend_inventory()

    assert "Opened 0 nights" in extend_inventory()


def test_unknown_hotel_is_an_error(db):
    with pytest.raises(CommandError):
        extend_inventory("--tenant", "nowhere")
