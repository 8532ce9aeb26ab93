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
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

admin_object_changed = Signal()

# tenants may not import the secret store that keeps a channel's access token
# (security is the layer above), so the admin announces a token typed there, and
# asks for its masked status, with these; webhooks.whatsapp_credentials answers.
# access_token_saved: account, token, request (inside the admin's transaction).
# access_token_status_requested: account; the receiver returns the status line.
access_token_saved = Signal()
access_token_status_requested = Signal()


# The agent reads each hotel's knowledge base from the cache (tenants/knowledge.py);
# any change to an FAQ entry or to the hotel's own fields starts a new generation of
# its cache key. Senders are named lazily: this module is imported by tenants.models.

def _knowledge_changed(sender, instance, **kwargs) -> None:
    from .knowledge import forget_knowledge

    tenant_id = instance.pk if sender._meta.model_name == "tenant" else instance.tenant_id
    if tenant_id is not None:
        forget_knowledge(tenant_id)


for _name, _signal in (("save", post_save), ("delete", post_delete)):
    for _sender in ("tenants.FAQEntry", "tenants.Tenant"):
        _signal.connect(_knowledge_changed, sender=_sender, dispatch_uid=f"knowledge-{_sender}-{_name}")
