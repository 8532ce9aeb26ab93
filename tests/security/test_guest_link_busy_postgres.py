"""A guest cancelling from their link while another transaction holds the stay's
nights gets the "try again" page, not a 500, and nothing changes."""
from django_scopes import scopes_disabled

from reservations.guest.links import guest_link_token
from reservations.models import NightlyInventory, Reservation
from reservations.services import reservation_create
from tests.factories import stay
from tests.reservations.test_locking_postgres import held, on_postgres

pytestmark = on_postgres


def test_cancelling_while_the_nights_are_locked_is_a_try_again_page(client, tenant, standard, settings):
    settings.LOCK_TIMEOUT_SECONDS = 0.2
    check_in, check_out = stay(tenant=tenant)
    reservation = reservation_create(
        tenant=tenant, room_type="standard", check_in=check_in, check_out=check_out, guests=2,
        guest_name="Ana García", guest_email="ana@example.com", guest_phone="+34612345678", source="api",
    )
    url = f"/r/{guest_link_token(reservation)}/"

    def lock_the_nights():
        with scopes_disabled():
            list(NightlyInventory.objects.select_for_update().filter(room_type=standard))

    with held(lock_the_nights):
        response = client.post(url)

    assert response.status_code == 503
    with scopes_disabled():
        assert Reservation.objects.get(pk=reservation.pk).status == Reservation.Status.CONFIRMED
    assert client.post(url).status_code == 302  # once the lock is gone the same button works
