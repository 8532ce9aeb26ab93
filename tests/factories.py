import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from reservations.models import RoomType
from reservations.services import inventory_sync
from security.models import BlacklistEntry
from tenants.models import ChannelAccount, Tenant, TenantMembership


class TenantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenant

    slug = factory.Sequence(lambda n: f"hotel-{n}")
    name = factory.Sequence(lambda n: f"Hotel {n}")
    timezone = "Europe/Madrid"
    country = "ES"
    currency = "EUR"
    language = "es"
    support_phone = "+34910000000"
    support_email = factory.LazyAttribute(lambda t: f"support@{t.slug}.example")


class RoomTypeFactory(factory.django.DjangoModelFactory):
    """A room type with its year of inventory open, as the admin creates it."""

    class Meta:
        model = RoomType
        skip_postgeneration_save = True

    tenant = factory.SubFactory(TenantFactory)
    code = factory.Sequence(lambda n: f"room-{n}")
    name = factory.LazyAttribute(lambda rt: rt.code.title())
    max_guests = 2
    base_rate = Decimal("100.00")
    room_count = 3

    @factory.post_generation
    def inventory_days(room_type, create, extracted, **kwargs):
        if create:
            inventory_sync(room_type=room_type, days=extracted or 120)


class ChannelAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChannelAccount

    tenant = factory.SubFactory(TenantFactory)
    channel = ChannelAccount.Channel.WHATSAPP
    external_id = factory.Sequence(lambda n: f"1000000{n:08d}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def save_password(user, create, extracted, **kwargs):
        if create:
            user.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TenantMembership

    user = factory.SubFactory(UserFactory)
    tenant = factory.SubFactory(TenantFactory)
    role = TenantMembership.Role.STAFF


class BlacklistEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BlacklistEntry

    tenant = factory.SubFactory(TenantFactory)
    email = "banned@example.com"
    reason = "Damaged the room"


def stay(days_ahead: int = 10, nights: int = 2, *, tenant: Tenant | None = None):
    """(check_in, check_out) relative to the hotel's today."""
    today = tenant.local_today() if tenant else datetime.date.today()
    check_in = today + datetime.timedelta(days=days_ahead)
    return check_in, check_in + datetime.timedelta(days=nights)


class ConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "webhooks.Conversation"

    tenant = factory.SubFactory(TenantFactory)
    channel = "whatsapp"
    guest_id = factory.Sequence(lambda n: f"3461234{n:04d}")
    guest_phone = factory.LazyAttribute(lambda c: f"+{c.guest_id}")
    guest_name = "Ana García"
    language = "es"


class InboundMessageFactory(factory.django.DjangoModelFactory):
    """A guest's message, already answered, in `conversation`."""

    class Meta:
        model = "webhooks.InboundMessage"

    conversation = factory.SubFactory(ConversationFactory)
    tenant = factory.SelfAttribute("conversation.tenant")
    channel = factory.SelfAttribute("conversation.channel")
    account_external_id = "100000000000001"
    external_id = factory.Sequence(lambda n: f"wamid.in.{n}")
    sender_id = factory.SelfAttribute("conversation.guest_id")
    sender_name = factory.SelfAttribute("conversation.guest_name")
    message_type = "text"
    text = "Hola"
    sent_at = factory.LazyFunction(timezone.now)
    status = "processed"


class OutboundMessageFactory(factory.django.DjangoModelFactory):
    """The hotel's reply to `inbound`, already sent."""

    class Meta:
        model = "webhooks.OutboundMessage"

    inbound = factory.SubFactory(InboundMessageFactory)
    conversation = factory.SelfAttribute("inbound.conversation")
    tenant = factory.SelfAttribute("inbound.tenant")
    channel = factory.SelfAttribute("inbound.channel")
    account_external_id = factory.SelfAttribute("inbound.account_external_id")
    recipient_id = factory.SelfAttribute("inbound.sender_id")
    text = "¡Hola! ¿En qué te ayudo?"
    status = "sent"
