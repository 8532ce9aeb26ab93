"""`manage.py rotate_secrets` rotates what is due, or one secret now with --force."""
import pytest
from django.core.management import CommandError, call_command
from django_scopes import scopes_disabled

from security.models import ManagedSecret
from security.secret_store import JWT_SECRET, WEBHOOK_SECRET, secret_create

pytestmark = pytest.mark.django_db


def versions(tenant) -> dict[str, int]:
    with scopes_disabled():
        rows = ManagedSecret.objects.filter(tenant=tenant).values_list("name", "version")
    return {name: max(v for n, v in rows if n == name) for name, _ in rows}


def test_without_force_it_rotates_what_is_due(tenant, capsys):
    call_command("rotate_secrets", "--tenant", tenant.slug)

    assert versions(tenant) == {WEBHOOK_SECRET: 1, JWT_SECRET: 1}
    assert "Rotated 2 secret(s) across 1 hotel(s)." in capsys.readouterr().out


def test_force_rotates_one_secret_now_for_one_hotel(tenant, other_tenant, capsys):
    secret_create(WEBHOOK_SECRET, tenant)
    secret_create(WEBHOOK_SECRET, other_tenant)

    call_command("rotate_secrets", "--force", WEBHOOK_SECRET, "--tenant", tenant.slug)

    assert versions(tenant) == {WEBHOOK_SECRET: 2}
    assert versions(other_tenant) == {WEBHOOK_SECRET: 1}
    assert "Hotel Sol: webhook_secret is now version 2." in capsys.readouterr().out


def test_force_without_a_hotel_rotates_every_active_hotel(tenant, other_tenant):
    call_command("rotate_secrets", "--force", JWT_SECRET)

    assert versions(tenant) == {JWT_SECRET: 1}
    assert versions(other_tenant) == {JWT_SECRET: 1}


def test_an_unknown_hotel_is_an_error(db):
    with pytest.raises(CommandError, match="No hotel"):
        call_command("rotate_secrets", "--tenant", "nowhere")


def test_an_unknown_secret_name_is_an_error(db):
    with pytest.raises(CommandError):
        call_command("rotate_secrets", "--force", "password")
