from django.db.models import Q
from django.utils import timezone

from .models import BlacklistEntry


def is_blacklisted(*, tenant, email: str = "", phone: str = "") -> bool:
    """True when an active, unexpired entry of this hotel or a global one names
    the guest's email or phone. Callers pass normalized addresses."""
    who = Q()
    if email:
        who |= Q(email=email)
    if phone:
        who |= Q(phone=phone)
    if not who:
        return False
    now = timezone.now()
    return (
        BlacklistEntry.objects.with_scopes_disabled()
        .filter(Q(tenant=tenant) | Q(tenant__isnull=True), who, is_active=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .exists()
    )
