"""A hotel's PMS settings on its admin page: timeouts within sane bounds, and a
hotel switched to QloApps is told (on the page and in the log) what it still lacks,
the webservice key above all, which lives in the secret store, not in the form."""
import logging

import pytest
from django.core.exceptions import ValidationError

from reservations.pms import get_adapter
from reservations.pms.credentials import SECRET_NAME
from security.secret_store import secret_create
from tenants.models import Tenant

from .pages import admin_url, change_form_data, messages_of

pytestmark = pytest.mark.django_db

NO_KEY = "QloApps selected but no webservice key is stored"
QLOAPPS = {"pms_backend": "qloapps", "pms_base_url": "https://qlo.example", "pms_hotel_id": "1"}


@pytest.fixture(autouse=True)
def _no_keys_in_the_environment(settings):
    settings.PMS_WEBSERVICE_KEYS = {}


def save_hotel(client, tenant, **changes):
    data = change_form_data(client.get(admin_url(Tenant, "change", tenant.pk))) | changes
    return client.post(admin_url(Tenant, "change", tenant.pk), data, follow=True)


def errors_of(response, field: str) -> list[str]:
    return response.context["adminform"].form.errors.get(field, [])


@pytest.mark.parametrize("seconds", ["-1", "0", "0.05", "61", "100000"])
def test_a_timeout_out_of_bounds_is_a_form_error(as_manager, tenant, seconds):
    response = save_hotel(as_manager, tenant, pms_connect_timeout=seconds, pms_read_timeout=seconds)

    assert errors_of(response, "pms_connect_timeout")
    assert errors_of(response, "pms_read_timeout")
    tenant.refresh_from_db()
    assert (tenant.pms_connect_timeout, tenant.pms_read_timeout) == (2.0, 5.0)


@pytest.mark.parametrize("seconds", ["nan", "inf"])
def test_a_timeout_that_is_not_a_number_is_a_form_error(as_manager, tenant, seconds):
    assert errors_of(save_hotel(as_manager, tenant, pms_read_timeout=seconds), "pms_read_timeout")


def test_timeouts_within_bounds_are_saved(as_manager, tenant):
    save_hotel(as_manager, tenant, pms_connect_timeout="0.1", pms_read_timeout="60")

    tenant.refresh_from_db()
    assert (tenant.pms_connect_timeout, tenant.pms_read_timeout) == (0.1, 60.0)


def test_the_model_refuses_a_negative_timeout_outside_the_admin_too(tenant):
    tenant.pms_read_timeout = -5

    with pytest.raises(ValidationError) as refused:
        tenant.full_clean()
    assert "pms_read_timeout" in refused.value.message_dict


def test_saving_qloapps_without_a_webservice_key_warns_on_the_page_and_in_the_log(as_manager, tenant, caplog):
    with caplog.at_level(logging.WARNING, logger="reservations.admin"):
        response = save_hotel(as_manager, tenant, **QLOAPPS)

    tenant.refresh_from_db()
    assert tenant.pms_backend == "qloapps"  # the key is stored apart, after: said, not refused
    assert any(NO_KEY in message for message in messages_of(response))
    assert f"{tenant.slug}: {NO_KEY}" in caplog.messages


def test_the_hotel_page_shows_the_missing_webservice_key(as_staff, tenant):
    Tenant.objects.filter(pk=tenant.pk).update(**QLOAPPS)

    response = as_staff.get(admin_url(Tenant, "change", tenant.pk))

    assert "PMS status" in response.content.decode()
    assert [message for message in messages_of(response) if NO_KEY in message]
    assert response.content.decode().count(NO_KEY) == 2  # the warning and the status line


def test_the_warning_is_not_repeated_after_save_and_continue(as_manager, tenant):
    response = save_hotel(as_manager, tenant, **QLOAPPS, _continue="1")

    assert len([message for message in messages_of(response) if NO_KEY in message]) == 1


def test_the_page_names_a_missing_shop_url_and_hotel_id_too(as_manager, tenant):
    Tenant.objects.filter(pk=tenant.pk).update(pms_backend="qloapps")

    warnings = messages_of(as_manager.get(admin_url(Tenant, "change", tenant.pk)))

    assert "QloApps selected but no shop URL is set" in warnings
    assert "QloApps selected but no QloApps hotel id is set" in warnings


def test_a_stored_webservice_key_silences_the_warning(as_manager, tenant, caplog):
    secret_create(SECRET_NAME, tenant, value="QLO-KEY")
    with caplog.at_level(logging.WARNING):
        response = save_hotel(as_manager, tenant, **QLOAPPS)

    assert not [message for message in messages_of(response) if "QloApps selected" in message]
    assert not [message for message in caplog.messages if "QloApps selected" in message]
    page = as_manager.get(admin_url(Tenant, "change", tenant.pk)).content.decode()
    assert "shop URL, hotel id and webservice key are set" in page


def test_a_hotel_on_the_database_is_not_warned(as_manager, tenant):
    response = as_manager.get(admin_url(Tenant, "change", tenant.pk))

    assert not [message for message in messages_of(response) if "QloApps" in message]
    assert "kept in hotelagent" in response.content.decode()


def test_the_qloapps_adapter_picked_without_a_key_is_logged(tenant, caplog):
    Tenant.objects.filter(pk=tenant.pk).update(**QLOAPPS)
    tenant.refresh_from_db()

    with caplog.at_level(logging.WARNING, logger="reservations.pms.registry"):
        get_adapter(tenant)

    assert f"{tenant.slug}: {NO_KEY}" in caplog.messages
