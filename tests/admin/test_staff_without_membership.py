import pytest

from reservations.models import Reservation
from tests.factories import UserFactory

from .pages import admin_url

pytestmark = pytest.mark.django_db


def test_staff_user_of_no_hotel_sees_no_screens(client, tenant):
    client.force_login(UserFactory())

    response = client.get("/admin/")

    assert response.status_code == 200
    assert response.context["app_list"] == []


def test_staff_user_of_no_hotel_cannot_open_reservations(client, tenant):
    client.force_login(UserFactory())

    response = client.get(admin_url(Reservation, "changelist"))

    assert response.status_code == 403
