"""The demo hotels' WhatsApp templates: one for every purpose in Spanish and
English, so guest messaging works out of the box against a stand-in Graph API.
Their names and parameters are what README "WhatsApp templates" asks a real
hotel to get approved at Meta."""
from django.db import transaction
from django_scopes import scopes_disabled

from tenants.models import Tenant

from .message_templates import PARAMETERS
from .models import MessageTemplate

DEMO_LANGUAGES = ("es", "en")


def demo_templates(slugs: list[str]) -> int:
    """Add the missing templates to the hotels named; returns how many were created."""
    created = 0
    with transaction.atomic(), scopes_disabled():
        for hotel in Tenant.objects.filter(slug__in=slugs):
            for purpose, parameters in PARAMETERS.items():
                for language in DEMO_LANGUAGES:
                    _, new = MessageTemplate.objects.get_or_create(
                        tenant=hotel, purpose=purpose, language=language,
                        defaults={"name": f"hotelagent_{purpose}", "parameters": list(parameters)},
                    )
                    created += new
    return created
