"""Staff changes in the back office reach the next availability answer, warm copy or not."""
import datetime

import pytest
from django_scopes import scopes_disabled

from reservations.cache_warming import warm
from reservations.models import NightlyInventory, RoomType
from tenants.models import TenantMembership
from tests.admin.pages import admin_url
from tests.factories import MembershipFactory

from .helpers import available, search

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_manager(client, tenant):
    client.force_login(MembershipFactory(tenant=tenant, role=TenantMembership.Role.MANAGER).user)
    return client


def tenth_night(room_type):
    with scopes_disabled():
        return NightlyInventory.objects.get(
            room_type=room_type, date=room_type.tenant.local_today() + datetime.timedelta(days=10)
        )


def test_a_special_rate_set_in_the_list_is_quoted_next(
    api, as_manager, tenant, standard, django_capture_on_commit_callbacks
):
    warm()
    night = tenth_night(standard)

    with django_capture_on_commit_callbacks(execute=True):
        response = as_manager.post(admin_url(NightlyInventory, "changelist") + f"?id={night.pk}", {
            "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-id": night.pk,
            "form-0-rooms_total": night.rooms_total, "form-0-rate_override": "149.00", "_save": "Save",
        })

    assert response.status_code == 302
    [offer] = search(api, tenant)["room_types"]
    assert offer["nightly_rates"] == ["149.00"]


def test_a_room_out_of_order_is_not_offered_next(
    api, as_manager, tenant, standard, django_capture_on_commit_callbacks
):
    warm()
    night = tenth_night(standard)

    with django_capture_on_commit_callbacks(execute=True):
        as_manager.post(admin_url(NightlyInventory, "change", night.pk),
                        {"rooms_total": "2", "rate_override": ""})

    assert available(search(api, tenant)) == {"standard": 2}


def test_more_rooms_on_the_room_type_screen_are_offered_next(
    api, as_manager, tenant, standard, django_capture_on_commit_callbacks
):
    warm()

    with django_capture_on_commit_callbacks(execute=True):
        as_manager.post(admin_url(RoomType, "change", standard.pk), {
            "code": "standard", "name": "Standard", "max_guests": 2, "base_rate": "100.00", "room_count": 7,
        })

    assert available(search(api, tenant)) == {"standard": 7}
