"""The page a guest link opens: the reservation in the hotel's language and a
button that cancels it (freeing the rooms, audited) through the booking service."""
import re

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from reservations.guest.links import guest_link_token
from reservations.models import NightlyInventory, Reservation
from reservations.services import reservation_create
from security.models import AuditEvent
from tests.factories import RoomTypeFactory, stay

pytestmark = pytest.mark.django_db


def book(tenant, room_type="standard"):
    check_in, check_out = stay(tenant=tenant)
    return reservation_create(
        tenant=tenant, room_type=room_type, check_in=check_in, check_out=check_out, guests=2,
        guest_name="Ana García", guest_email="ana@example.com", guest_phone="+34612345678", source="api",
    )


@pytest.fixture
def reservation(tenant, standard):
    return book(tenant)


def link(reservation) -> str:
    return f"/r/{guest_link_token(reservation)}/"


def booked_nights(reservation) -> list[int]:
    with scopes_disabled():
        return list(NightlyInventory.objects.filter(
            room_type=reservation.room_type, date__gte=reservation.check_in, date__lt=reservation.check_out,
        ).values_list("rooms_booked", flat=True))


def test_the_page_shows_the_reservation_in_spanish_for_a_spanish_hotel(client, reservation):
    response = client.get(link(reservation), HTTP_ACCEPT_LANGUAGE="en")

    page = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == "es"
    assert "Tu reserva" in page and reservation.code in page and "Hotel Sol" in page
    assert "2 noches" in page and "200,00" in page
    assert "Cancelar reserva" in page
    assert "no-store" in response["Cache-Control"]


def test_the_page_speaks_english_for_an_english_hotel(client, other_tenant):
    RoomTypeFactory(tenant=other_tenant, code="standard", name="Harbor Standard")
    reservation = book(other_tenant)

    response = client.get(link(reservation), HTTP_ACCEPT_LANGUAGE="es")

    page = response.content.decode()
    assert response["Content-Language"] == "en"
    assert "Your reservation" in page and "Harbor Standard" in page and "$200.00" in page
    assert "Cancel reservation" in page


def test_the_page_is_made_for_phones(client, reservation):
    page = client.get(link(reservation)).content.decode()

    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "noindex" in page


def test_cancelling_from_the_link_frees_the_rooms_and_shows_it_cancelled(client, reservation):
    assert booked_nights(reservation) == [1, 1]

    response = client.post(link(reservation), follow=True)

    page = response.content.decode()
    assert "Cancelada" in page and "Esta reserva está cancelada" in page
    assert "Cancelar reserva" not in page
    assert booked_nights(reservation) == [0, 0]
    with scopes_disabled():
        assert Reservation.objects.get(pk=reservation.pk).status == Reservation.Status.CANCELLED


def test_cancelling_from_the_link_is_audited_as_the_guest_link(client, reservation):
    client.post(link(reservation), REMOTE_ADDR="203.0.113.9")

    with scopes_disabled():
        event = AuditEvent.objects.get(action="reservation_cancelled")
    assert (event.actor, event.ip_address, event.resource) == (
        f"guest_link:{reservation.code}", "203.0.113.9", f"reservation:{reservation.code}"
    )
    assert event.details["source"] == "guest_link"


def test_cancelling_twice_changes_nothing_more(client, reservation):
    client.post(link(reservation))
    again = client.post(link(reservation), follow=True)

    assert again.status_code == 200
    assert booked_nights(reservation) == [0, 0]
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="reservation_cancelled").count() == 1


def test_the_cancel_button_needs_the_pages_csrf_token(reservation):
    browser = Client(enforce_csrf_checks=True)
    url = link(reservation)

    assert browser.post(url).status_code == 403
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', browser.get(url).content.decode())[1]
    assert browser.post(url, {"csrfmiddlewaretoken": token}).status_code == 302
    assert booked_nights(reservation) == [0, 0]


@pytest.mark.parametrize("token", ["nonsense", "a.b.c", "eyJhbGciOiJub25lIn0.e30."])
def test_a_bad_link_is_a_friendly_404(client, db, token):
    response = client.get(f"/r/{token}/")

    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


def test_a_bad_link_cannot_cancel_anything(client, reservation):
    unsigned = guest_link_token(reservation).rsplit(".", 1)[0]

    assert client.post(f"/r/{unsigned}.c2lnbmF0dXJl/").status_code == 404
    assert booked_nights(reservation) == [1, 1]
