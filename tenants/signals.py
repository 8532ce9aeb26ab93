"""What tenants announces to the layers above it.

`admin_object_changed` is sent by every TenantScopedAdmin for each add, change
and delete made in the back office, inside the admin's transaction, with
`request`, `obj`, `action` ("add", "change" or "delete"), `tenant` (the hotel
that owns the row, None for a hotel being deleted), `changed` (the field names)
and `pk` (the row's id: a deleted inline row has lost its own by then).

tenants is the bottom layer and may not import security, yet those changes must
reach the audit trail: security.apps connects the receiver that records them
(security/admin/change_audit.py). A signal rather than an audited mixin owned by
security: tenants/admin.py's own screens (hotels, channels, memberships) must be
audited too, and they could only use such a mixin by moving into security.
Receivers run synchronously and their errors propagate (`send`, not
`send_robust`), so a change whose audit event cannot be written is rolled back
with it.
"""
from django.dispatch import Signal

admin_object_changed = Signal()
