"""Who may see and change what in the admin back office, per hotel.

Django's model permissions are global ("may change room types" would mean every
hotel's room types), so hotel staff get their rights from TenantMembership
instead: a manager looks after their hotel's set-up, staff look things up and
cancel reservations. Superusers keep Django's own checks, which they always pass.

StaffTenantScopeMiddleware already limits every scoped queryset to the member
hotels. These classes add what a scope cannot see: the Tenant model itself, the
Tenant and User choices of foreign keys, the role each screen asks for, and the
row-by-row check the change list's inline editing skips.
"""
from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import reverse
from django_scopes import scopes_disabled

from .models import Tenant, TenantMembership
from .signals import admin_object_changed

MANAGERS = frozenset({TenantMembership.Role.MANAGER})
MEMBERS = frozenset({TenantMembership.Role.MANAGER, TenantMembership.Role.STAFF})


def tenant_roles(request) -> dict[int, str]:
    """{tenant id: role} of the signed-in user, read once per request. Unscoped on
    purpose: the memberships are what decide the scope."""
    if not request.user.is_authenticated:
        return {}  # the sign-in page asks which screens to list
    if not hasattr(request, "_admin_tenant_roles"):
        with scopes_disabled():
            request._admin_tenant_roles = dict(
                TenantMembership.objects.filter(user=request.user).values_list("tenant_id", "role")
            )
    return request._admin_tenant_roles


def tenant_ids_with(request, roles) -> list[int]:
    return [tenant_id for tenant_id, role in tenant_roles(request).items() if role in roles]


class ScopedAdminForm(forms.ModelForm):
    """Model validation runs unscoped: unique constraints such as a channel's
    external id hold across every hotel, and a check limited to the user's hotels
    would let the clash through to the database. The tenant takes part in those
    checks even when it is shown read-only."""

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        if getattr(self.instance, "tenant_id", None) is not None:
            exclude.discard("tenant")
        return exclude

    def _post_clean(self):
        with scopes_disabled():
            super()._post_clean()


class TenantScopedAdmin:
    """Mixin for ModelAdmin and InlineModelAdmin classes of hotel-owned models.

    `tenant_field` is the lookup path from the model to its Tenant. Members whose
    role is in `view_roles` may look; those in `change_roles` may also add, change
    and delete. Inlines receive the parent Tenant as `obj`, which is handled too.
    """

    tenant_field = "tenant"
    view_roles = MEMBERS
    change_roles = MANAGERS
    form = ScopedAdminForm

    def tenant_id_of(self, obj) -> int | None:
        if isinstance(obj, Tenant):
            return obj.pk
        *path, last = self.tenant_field.split("__")
        for name in path:
            obj = getattr(obj, name)
        return getattr(obj, f"{last}_id")

    def has_role(self, request, roles, obj=None) -> bool:
        tenant_ids = tenant_ids_with(request, roles)
        if obj is None:
            return bool(tenant_ids)
        return self.tenant_id_of(obj) in tenant_ids

    def for_roles(self, request, queryset, roles):
        """The rows of `queryset` the user holds one of `roles` for; actions use it
        so a manager of one hotel and staff of another only changes the first."""
        if request.user.is_superuser:
            return queryset
        tenant_ids = tenant_ids_with(request, roles)
        if queryset.model is Tenant:
            return queryset.filter(pk__in=tenant_ids)
        return queryset.filter(**{f"{self.tenant_field}__in": tenant_ids})

    def get_queryset(self, request):
        return self.for_roles(request, super().get_queryset(request), self.view_roles | self.change_roles)

    # The columns that name the hotel: noise for someone who works at one, and the
    # room the other columns need at 1366 px.
    hotel_columns = frozenset({"tenant", "hotel"})

    def get_list_display(self, request):
        columns = super().get_list_display(request)
        if request.user.is_superuser or len(tenant_roles(request)) > 1:
            return columns
        return [column for column in columns if column not in self.hotel_columns]

    def has_module_permission(self, request):
        if request.user.is_superuser:
            return super().has_module_permission(request)
        return self.has_role(request, self.view_roles | self.change_roles)

    def has_view_permission(self, request, obj=None):
        if request.user.is_superuser:
            return super().has_view_permission(request, obj)
        return self.has_role(request, self.view_roles | self.change_roles, obj)

    def has_add_permission(self, request, *args):
        # ModelAdmin passes (request), InlineModelAdmin (request, parent).
        if request.user.is_superuser:
            return super().has_add_permission(request, *args)
        return self.has_role(request, self.change_roles, args[0] if args else None)

    def has_change_permission(self, request, obj=None):
        if request.user.is_superuser:
            return super().has_change_permission(request, obj)
        return self.has_role(request, self.change_roles, obj)

    def has_delete_permission(self, request, obj=None):
        if request.user.is_superuser:
            return super().has_delete_permission(request, obj)
        return self.has_role(request, self.change_roles, obj)

    def get_readonly_fields(self, request, obj=None):
        """A row never moves to another hotel once created."""
        readonly = list(super().get_readonly_fields(request, obj))
        moves_tenant = isinstance(self, admin.ModelAdmin) and self.tenant_field == "tenant"
        if obj is not None and moves_tenant and self.model is not Tenant and "tenant" not in readonly:
            readonly.append("tenant")
        return readonly

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            related = db_field.remote_field.model
            if related is Tenant:
                kwargs["queryset"] = Tenant.objects.filter(
                    pk__in=tenant_ids_with(request, self.change_roles)
                )
                kwargs["required"] = True  # an empty tenant means "every hotel": superusers only
            elif related is get_user_model():
                kwargs["queryset"] = related.objects.filter(
                    tenant_memberships__tenant_id__in=tenant_ids_with(request, self.change_roles)
                ).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def object_button_view(self, request, object_id, *, permitted, act, done_message):
        """A POST-only button on a change page that runs one service call on the row
        (cancel a reservation, release a conversation) and comes back to the page."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not permitted(request, obj):
            raise PermissionDenied
        if act(request, obj):
            self.message_user(request, done_message(obj))
        change_url = f"admin:{self.opts.app_label}_{self.opts.model_name}_change"
        return HttpResponseRedirect(reverse(change_url, args=[obj.pk]))

    def save_model(self, request, obj, form, change):
        # The change form checks the row, the change list's inline editing does not.
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    # Every add, change and delete made here is announced with admin_object_changed
    # in the admin's transaction, next to Django's LogEntry; security records each
    # as a DATA_MODIFICATION in the hotel's audit chain (tenants/signals.py says why
    # a signal and not a call).

    def tenant_of(self, obj) -> Tenant | None:
        if isinstance(obj, Tenant):
            return obj
        for name in self.tenant_field.split("__"):
            obj = getattr(obj, name)
        return obj

    def audit_admin_change(self, request, obj, action: str, *, tenant, changed=(), pk=None):
        """Screens whose services audit the change themselves override this with a no-op."""
        admin_object_changed.send(
            sender=type(self), request=request, obj=obj, action=action, tenant=tenant,
            changed=list(changed), pk=obj.pk if pk is None else pk,
        )

    def construct_change_message(self, request, form, formsets, add=False):
        form.instance._audit_changed_fields = list(form.changed_data)  # for log_addition/log_change
        return super().construct_change_message(request, form, formsets, add)

    def log_addition(self, request, obj, message):
        self.audit_admin_change(request, obj, "add", tenant=self.tenant_of(obj),
                                changed=getattr(obj, "_audit_changed_fields", ()))
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self.audit_admin_change(request, obj, "change", tenant=self.tenant_of(obj),
                                changed=getattr(obj, "_audit_changed_fields", ()))
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            # A hotel being deleted cannot own the event: it would PROTECT the hotel.
            tenant = None if isinstance(obj, Tenant) else self.tenant_of(obj)
            self.audit_admin_change(request, obj, "delete", tenant=tenant)
        return super().log_deletions(request, queryset)

    def save_formset(self, request, form, formset, change):
        """Inline rows belong to the parent's hotel; a deleted row has lost its pk
        by the time the formset reports it, so it is noted first."""
        pks = {id(inline.instance): inline.instance.pk for inline in formset.forms}
        changed = {id(inline.instance): inline.changed_data for inline in formset.forms}
        super().save_formset(request, form, formset, change)
        tenant = self.tenant_of(form.instance)
        for obj in formset.new_objects:
            self.audit_admin_change(request, obj, "add", tenant=tenant, changed=changed.get(id(obj), ()))
        for obj, fields in formset.changed_objects:
            self.audit_admin_change(request, obj, "change", tenant=tenant, changed=fields)
        for obj in formset.deleted_objects:
            self.audit_admin_change(request, obj, "delete", tenant=tenant, pk=pks.get(id(obj)))


class ReadOnlyMixin:
    """For screens whose rows only services write (reservations, the audit trail,
    secrets, messages, pending bookings): looked at, never added, edited or deleted
    by hand; their admin actions call the services. Put it before TenantScopedAdmin."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
