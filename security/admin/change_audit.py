"""Every add, change and delete made in the back office, as a DATA_MODIFICATION
in the hotel's audit chain.

TenantScopedAdmin (tenants, the layer below) sends `admin_object_changed`;
SecurityConfig.ready connects `record_admin_change` to it. The signal is sent
inside the admin's transaction, so the event commits or rolls back with the
change and next to Django's LogEntry.
"""
from .. import audit


def record_admin_change(sender, *, request, obj, action, tenant, changed, pk, **kwargs):
    audit.record(
        audit.Type.DATA_MODIFICATION, tenant=tenant, action=f"admin_{action}",
        actor=f"user:{request.user.pk}", request=request,
        resource=f"{obj._meta.label_lower}:{pk}",
        details={"action": action, "changed": list(changed)},
    )
