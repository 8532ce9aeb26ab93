"""The hotel's QloApps room types, to fill RoomType.pms_room_type_id."""
import pytest

from reservations.pms import get_adapter

pytestmark = pytest.mark.django_db


def test_lists_the_hotels_room_types_with_their_ids(qlo_hotel, qlo):
    qlo.add_room_type(12, "Deluxe room", max_guests=3)

    room_types = get_adapter(qlo_hotel).list_room_types(tenant=qlo_hotel)

    assert [(rt["id_product"], rt["max_guests"]) for rt in room_types] == [(11, 2), (12, 3)]
    [request] = qlo.requests
    assert request["query"] == {"display": "full", "filter[id_hotel]": "[1]", "output_format": "JSON"}
