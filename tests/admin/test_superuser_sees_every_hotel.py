import pytest

from reservations.models import Reservation
from tenants.models import Tenant

from .pages import admin_url, rows

pytestmark = pytest.mark.django_db


def test_superuser_lists_reservations_of_every_hotel(as_superuser, tenant, other_tenant, standard,
                                                   other_standard, book):
    book(tenant)
    book(other_tenant, guest_phone="+12125550123")

    response = as_superuser.get(admin_url(Reservation, "changelist"))

    assert {row.tenant for row in rows(response)} == {tenant, other_tenant}


def test_admin_is_branded(as_superuser, tenant):
    response = as_superuser.get(admin_url(Tenant, "changelist"))

    assert "hotelagent" in response.content.decode()
