"""Hotel managers signed in to the admin, and a way to tamper with the audit trail
the way someone with database access would."""
from contextlib import contextmanager

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from security.models import AuditEvent
from tenants.models import TenantMembership
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def manager(tenant):
    return MembershipFactory(tenant=tenant, role=TenantMembership.Role.MANAGER).user


@pytest.fixture
def as_manager(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def as_superuser(client, db):
    client.force_login(UserFactory(is_superuser=True))
    return client


@contextmanager
def _behind_the_trigger():
    """The rows of the audit trail, writable: on PostgreSQL the append-only trigger
    is switched off meanwhile, as only the table's owner could."""
    postgres = connection.vendor == "postgresql"
    if postgres:
        with connection.cursor() as cursor:
            # Django's deferred foreign-key checks must fire before the table is altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE security_auditevent DISABLE TRIGGER USER")
    try:
        with scopes_disabled():
            yield AuditEvent.objects.all()
    finally:
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("ALTER TABLE security_auditevent ENABLE TRIGGER USER")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@pytest.fixture
def tamper():
    return _behind_the_trigger
