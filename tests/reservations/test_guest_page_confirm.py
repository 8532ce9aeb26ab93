"""The guest page asks before cancelling, without JavaScript, and shows where
the hotel is and what the guest asked for."""
import pytest
from django_scopes import scopes_disabled

from reservations.guest.links import guest_link_token
from reservations.models import Reservation
from reservations.services import reservation_create
from tests.factories import stay

pytestmark = pytest.mark.django_db


@pytest.fixture
def reservation(tenant, standard):
    tenant.address = "Calle Mayor 1\n28013 Madrid"
    tenant.save()
    check_in, check_out = stay(tenant=tenant)
    return reservation_create(
        tenant=tenant, room_type="standard", check_in=check_in, check_out=check_out, guests=2,
        guest_name="Ana García", guest_email="ana@example.com", guest_phone="+34612345678", source="api",
        special_requests="Cuna para el bebé",
    )


def link(reservation) -> str:
    return f"/r/{guest_link_token(reservation)}/"


def status_of(reservation) -> str:
    with scopes_disabled():
        return Reservation.objects.get(pk=reservation.pk).status


def test_the_cancel_button_opens_a_confirmation_and_cancels_nothing(client, reservation):
    page = client.get(link(reservation)).content.decode()
    assert 'name="step" value="confirm"' in page and 'name="confirm"' not in page

    confirmation = client.post(link(reservation), {"step": "confirm"})

    text = confirmation.content.decode()
    assert confirmation.status_code == 200
    assert reservation.code in text and "200,00\xa0€" in text
    assert 'name="confirm" value="yes"' in text
    assert status_of(reservation) == "confirmed"


def test_confirming_cancels_and_shows_it_cancelled(client, reservation):
    response = client.post(link(reservation), {"confirm": "yes"}, follow=True)

    assert status_of(reservation) == "cancelled"
    assert "Esta reserva está cancelada" in response.content.decode()


def test_a_cancelled_reservation_offers_no_confirmation(client, reservation):
    client.post(link(reservation), {"confirm": "yes"})

    page = client.post(link(reservation), {"step": "confirm"}).content.decode()

    assert 'name="confirm"' not in page


def test_the_page_shows_the_address_with_a_map_link_and_the_special_requests(client, reservation):
    page = client.get(link(reservation)).content.decode()

    assert "Calle Mayor 1<br>28013 Madrid" in page
    assert 'href="https://www.openstreetmap.org/search?query=Calle+Mayor+1+28013+Madrid"' in page
    assert "Cuna para el bebé" in page


def test_times_read_as_the_chat_writes_them(client, reservation):
    page = client.get(link(reservation)).content.decode()

    assert "a partir de las 15:00" in page
    assert "12:00" in page


def test_special_requests_are_escaped(client, tenant, standard):
    check_in, check_out = stay(days_ahead=20, tenant=tenant)
    reservation = reservation_create(
        tenant=tenant, room_type="standard", check_in=check_in, check_out=check_out, guests=1,
        guest_name="Bo", guest_email="bo@example.com", guest_phone="+34612345679", source="api",
        special_requests="Vista al mar <3 & \"tranquila\"",
    )

    page = client.get(link(reservation)).content.decode()

    assert "Vista al mar &lt;3 &amp; &quot;tranquila&quot;" in page
