"""The admin says what the Default hotel is for on its own page."""
import pytest

from tenants.models import Tenant
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_superuser(client):
    client.force_login(UserFactory(is_superuser=True))
    return client


def hotel_page(client, hotel) -> str:
    response = client.get(f"/admin/tenants/tenant/{hotel.pk}/change/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_default_hotel_page_explains_where_unknown_numbers_land(as_superuser):
    page = hotel_page(as_superuser, Tenant.objects.get(slug="default"))

    assert 'id="default-hotel-note"' in page
    assert "no hotel has as a channel" in page


def test_other_hotels_pages_do_not(as_superuser, tenant):
    assert 'id="default-hotel-note"' not in hotel_page(as_superuser, tenant)
