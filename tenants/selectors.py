"""Reads across tenants. The membership lookup runs unscoped on purpose: it is
how we find out which scope a staff user may enter."""
from django.contrib.auth.models import AbstractBaseUser
from django_scopes import scopes_disabled

from .models import Tenant, TenantMembership


def tenant_ids_for_user(user: AbstractBaseUser) -> list[int]:
    with scopes_disabled():
        return list(TenantMembership.objects.filter(user=user).values_list("tenant_id", flat=True))


def tenants_for_user(user: AbstractBaseUser):
    if user.is_superuser:
        return Tenant.objects.all()
    return Tenant.objects.filter(id__in=tenant_ids_for_user(user))


def is_manager_of(user: AbstractBaseUser, tenant: Tenant) -> bool:
    if user.is_superuser:
        return True
    with scopes_disabled():
        return TenantMembership.objects.filter(
            user=user, tenant=tenant, role=TenantMembership.Role.MANAGER
        ).exists()
