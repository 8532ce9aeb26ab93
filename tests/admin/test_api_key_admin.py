import hashlib

import pytest

from security.api_keys import api_key_check, api_key_create
from security.models import ApiKey

from .pages import API_KEY, admin_url, messages_of, rows

pytestmark = pytest.mark.django_db


def add_key(client, tenant, name="channel manager"):
    return client.post(admin_url(ApiKey, "add"), {"tenant": tenant.pk, "name": name}, follow=True)


def test_add_form_asks_only_hotel_and_name(as_manager):
    form = as_manager.get(admin_url(ApiKey, "add")).context["adminform"].form

    assert list(form.fields) == ["tenant", "name"]


def test_new_key_is_shown_once(as_manager, tenant):
    response = add_key(as_manager, tenant)

    shown = [API_KEY.search(message) for message in messages_of(response)]
    key = next(match.group() for match in shown if match)
    assert api_key_check(key).tenant == tenant
    assert key not in as_manager.get(admin_url(ApiKey, "changelist")).content.decode()


def test_only_the_digest_is_stored(as_manager, tenant):
    key = API_KEY.search(add_key(as_manager, tenant).content.decode()).group()

    stored = ApiKey.objects.with_scopes_disabled().get(name="channel manager")
    assert stored.hashed_key == hashlib.sha256(key.encode()).hexdigest()
    assert key not in [str(value) for value in vars(stored).values()]


def test_list_and_page_never_show_the_digest(as_manager, tenant):
    api_key, _key = api_key_create(tenant=tenant, name="pms")

    listed = as_manager.get(admin_url(ApiKey, "changelist"))
    page = as_manager.get(admin_url(ApiKey, "change", api_key.pk))

    assert rows(listed) == [api_key]
    assert api_key.prefix in listed.content.decode()
    assert api_key.hashed_key not in listed.content.decode()
    assert api_key.hashed_key not in page.content.decode()


def test_revoked_keys_stop_working(as_manager, tenant):
    api_key, key = api_key_create(tenant=tenant, name="pms")

    response = as_manager.post(admin_url(ApiKey, "changelist"), {
        "action": "revoke_selected", "_selected_action": [api_key.pk],
    }, follow=True)

    assert "1 API key revoked." in messages_of(response)
    assert api_key_check(key) is None
