import pytest

from tenants.models import ChannelAccount
from tests.factories import ChannelAccountFactory

from .pages import admin_url

pytestmark = pytest.mark.django_db


def test_a_number_used_by_another_hotel_is_a_form_error(as_manager, tenant, other_tenant):
    ChannelAccountFactory(tenant=other_tenant, external_id="100000000000002")

    response = as_manager.post(admin_url(ChannelAccount, "add"), {
        "tenant": tenant.pk, "channel": "whatsapp", "external_id": "100000000000002",
    })

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()


def test_manager_adds_a_whatsapp_number(as_manager, tenant):
    response = as_manager.post(admin_url(ChannelAccount, "add"), {
        "tenant": tenant.pk, "channel": "whatsapp", "external_id": "100000000000009",
    })

    assert response.status_code == 302
    assert ChannelAccount.objects.with_scope(tenant=tenant).get().external_id == "100000000000009"
