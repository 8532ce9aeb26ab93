"""The messages the hotel writes first: a pre-arrival message N days before
check-in and a satisfaction survey the day after check-out.

Run every 15 minutes by beat (webhooks.tasks.send_guest_messages) and by
`manage.py send_guest_messages`. Each run looks, hotel by hotel and in the
hotel's own calendar and clock, for the stays that are due and have no such
message yet, and writes one `OutboundMessage` per stay and purpose; the sender
then sends it as free text or, as nearly always for these, as the hotel's
approved template (webhooks/sending.py).

Once per stay, ever: the database's unique constraint (reservation, purpose)
decides, so two beats, a retried task and a rerun of the command cannot write a
second one. Nothing is written outside the hotel's sending window (default
09:00–21:00), to a guest who opted out, for a cancelled stay, to a phone that
cannot be on WhatsApp, from a hotel without a WhatsApp number, or without the
template the message needs — the summary says which and why, and a later run
writes it once the reason is gone (a template added, the window open).
"""
import datetime
import logging
from collections import Counter
from dataclasses import dataclass, field

import phonenumbers
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from reservations.guest.links import guest_link_url
from reservations.models import Reservation
from tenants.models import ChannelAccount, Tenant

from .agent.replies import clock, language_or_default, long_date, money
from .models import Conversation, GuestOptOut, MessagePurpose, MessageTemplate, OutboundMessage

logger = logging.getLogger(__name__)

#: A survey for a stay that ended longer ago than this is no longer sent (a
#: hotel turning the feature on does not survey last year's guests).
SURVEY_WITHIN_DAYS = 7
WHATSAPP = ChannelAccount.Channel.WHATSAPP

TEXTS = {
    MessagePurpose.PRE_ARRIVAL: {
        "es": "Hola {guest_name}, te esperamos en {hotel_name} el {check_in_date} (entrada desde las "
              "{check_in_time}; salida el {check_out_date}). Tu reserva: {reservation_code}. "
              "Dirección: {address}. Tu reserva en línea: {guest_link}",
        "en": "Hello {guest_name}, we look forward to welcoming you at {hotel_name} on {check_in_date} "
              "(check-in from {check_in_time}; check-out on {check_out_date}). Your reservation: "
              "{reservation_code}. Address: {address}. Your booking online: {guest_link}",
    },
    MessagePurpose.POST_STAY_SURVEY: {
        "es": "Hola {guest_name}, gracias por alojarte en {hotel_name}. ¿Qué tal tu estancia? "
              "Valórala del 1 (mal) al 5 (excelente).",
        "en": "Hello {guest_name}, thank you for staying at {hotel_name}. How was your stay? "
              "Rate it from 1 (poor) to 5 (excellent).",
    },
}
SURVEY_CHOICES = {
    "es": ["Excelente", "Muy bien", "Normal", "Regular", "Mal"],
    "en": ["Excellent", "Very good", "OK", "Not great", "Poor"],
}
SURVEY_BUTTON = {"es": "Valorar", "en": "Rate"}
SURVEY_CHOICE_PREFIX = "survey:"


@dataclass
class HotelSummary:
    tenant: Tenant
    due: int = 0
    sent: int = 0
    skipped: Counter = field(default_factory=Counter)
    #: Why nothing was looked at (outside the sending window, no WhatsApp number…).
    idle_reason: str = ""

    def line(self, *, dry_run: bool = False) -> str:
        if self.idle_reason:
            return f"{self.tenant.name} ({self.tenant.slug}): nothing sent — {self.idle_reason}"
        skipped = ", ".join(f"{reason}: {count}" for reason, count in sorted(self.skipped.items()))
        verb = "would send" if dry_run else "sent"
        return (f"{self.tenant.name} ({self.tenant.slug}): {self.due} due, {self.sent} {verb}, "
                f"{sum(self.skipped.values())} skipped" + (f" ({skipped})" if skipped else ""))


@dataclass
class Summary:
    hotels: list[HotelSummary]
    dry_run: bool = False

    @property
    def due(self) -> int:
        return sum(hotel.due for hotel in self.hotels)

    @property
    def sent(self) -> int:
        return sum(hotel.sent for hotel in self.hotels)

    @property
    def skipped(self) -> Counter:
        return sum((hotel.skipped for hotel in self.hotels), Counter())


def send_guest_messages(*, tenant: Tenant | None = None, now: datetime.datetime | None = None,
                        dry_run: bool = False) -> Summary:
    """Write what is due as of `now` (default: now) at every active hotel, or at
    `tenant`; with `dry_run` count it without writing anything. The messages
    written go to the send task once committed."""
    now = now or timezone.now()
    hotels = Tenant.objects.filter(is_active=True).order_by("slug")
    if tenant is not None:
        hotels = hotels.filter(pk=tenant.pk)
    return Summary([_for_hotel(hotel, now, dry_run) for hotel in hotels], dry_run=dry_run)


def in_sending_window(tenant: Tenant, now: datetime.datetime) -> bool:
    """Whether the hotel's clock shows a time guests may be written to (a window
    that ends before it starts runs over midnight)."""
    local = now.astimezone(tenant.tzinfo).time()
    start, end = tenant.guest_messages_from, tenant.guest_messages_until
    if start <= end:
        return start <= local < end
    return local >= start or local < end


def _for_hotel(tenant: Tenant, now: datetime.datetime, dry_run: bool) -> HotelSummary:
    summary = HotelSummary(tenant)
    if not in_sending_window(tenant, now):
        summary.idle_reason = (f"outside its sending window ({tenant.guest_messages_from:%H:%M}–"
                               f"{tenant.guest_messages_until:%H:%M}, {tenant.timezone})")
        return summary
    account = (ChannelAccount.objects.with_scope(tenant=tenant).filter(channel=WHATSAPP)
               .order_by("pk").first())
    if account is None:
        summary.idle_reason = "no WhatsApp number"
        return summary
    today = now.astimezone(tenant.tzinfo).date()
    due = [*((stay, MessagePurpose.PRE_ARRIVAL) for stay in _pre_arrivals_due(tenant, today)),
           *((stay, MessagePurpose.POST_STAY_SURVEY) for stay in _surveys_due(tenant, today))]
    summary.due = len(due)
    if not due:
        return summary
    recipients = {stay.pk: whatsapp_id(stay.guest_phone, region=tenant.country) for stay, _ in due}
    opted_out = set(GuestOptOut.objects.with_scope(tenant=tenant).filter(
        channel=WHATSAPP, guest_id__in=[wa_id for wa_id in recipients.values() if wa_id],
    ).values_list("guest_id", flat=True))
    with_template = set(MessageTemplate.objects.with_scope(tenant=tenant).filter(
        is_active=True, purpose__in=[purpose for _, purpose in due]).values_list("purpose", flat=True))
    conversations = _latest_conversations(tenant, [wa_id for wa_id in recipients.values() if wa_id])
    for stay, purpose in due:
        wa_id = recipients[stay.pk]
        reason = ("not_on_whatsapp" if not wa_id else "opted_out" if wa_id in opted_out
                  else "no_template" if purpose not in with_template else "")
        if reason:
            summary.skipped[reason] += 1
            continue
        if dry_run or _write(tenant, account, stay, purpose, wa_id, conversations.get(wa_id)):
            summary.sent += 1
        else:
            summary.skipped["already_sent"] += 1
    if summary.sent and not dry_run:
        logger.info("%s: %s guest message(s) written", tenant.slug, summary.sent)
    return summary


def _not_written(purpose: str):
    return ~Exists(OutboundMessage.objects.with_scopes_disabled().filter(
        reservation=OuterRef("pk"), purpose=purpose))


def _pre_arrivals_due(tenant: Tenant, today: datetime.date) -> list[Reservation]:
    """Confirmed stays from `pre_arrival_days` before check-in until the eve of it
    (the day itself when the setting is 0): a stay booked late still gets one."""
    days = tenant.pre_arrival_days
    first, last = today + datetime.timedelta(days=1 if days else 0), today + datetime.timedelta(days=days)
    return list(
        Reservation.objects.with_scope(tenant=tenant)
        .filter(status=Reservation.Status.CONFIRMED, check_in__gte=first, check_in__lte=last)
        .filter(_not_written(MessagePurpose.PRE_ARRIVAL)).order_by("check_in", "pk")
    )


def _surveys_due(tenant: Tenant, today: datetime.date) -> list[Reservation]:
    """Stays that ended (checked out, or confirmed/checked in and past their
    check-out day) from the day after check-out, for SURVEY_WITHIN_DAYS days."""
    return list(
        Reservation.objects.with_scope(tenant=tenant)
        .filter(status__in=[Reservation.Status.CHECKED_OUT, Reservation.Status.CHECKED_IN,
                            Reservation.Status.CONFIRMED],
                check_out__lt=today, check_out__gte=today - datetime.timedelta(days=SURVEY_WITHIN_DAYS))
        .filter(_not_written(MessagePurpose.POST_STAY_SURVEY)).order_by("check_out", "pk")
    )


def whatsapp_id(phone: str, *, region: str = "") -> str:
    """The WhatsApp id (digits with the country code) of a phone that may be on
    WhatsApp, or "" for one that cannot: unparsable, invalid or a fixed line."""
    try:
        number = phonenumbers.parse(phone or "", (region or "").upper() or None)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(number):
        return ""
    if phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.FIXED_LINE:
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164).lstrip("+")


def _latest_conversations(tenant: Tenant, wa_ids: list[str]) -> dict[str, Conversation]:
    latest: dict[str, Conversation] = {}
    for conversation in (Conversation.objects.with_scope(tenant=tenant)
                         .filter(channel=WHATSAPP, guest_id__in=wa_ids).order_by("last_activity_at")):
        latest[conversation.guest_id] = conversation  # the most recent wins
    return latest


def _write(tenant: Tenant, account: ChannelAccount, stay: Reservation, purpose: str, wa_id: str,
           conversation: Conversation | None) -> bool:
    """Write the message and queue it once committed; False when another run
    wrote it first (the unique constraint said so)."""
    from .tasks import enqueue, send_outbound_message

    language = language_or_default((conversation.language if conversation else "") or tenant.language)
    values = template_values(tenant, stay, language)
    fields = {
        "tenant": tenant, "conversation": conversation, "channel": WHATSAPP,
        "account_external_id": account.external_id, "recipient_id": wa_id, "reservation": stay,
        "purpose": purpose, "template_values": values,
        "text": TEXTS[purpose][language].format(**values),
    }
    if purpose == MessagePurpose.POST_STAY_SURVEY:
        fields["interactive"] = survey_choices(fields["text"], language)
    try:
        with transaction.atomic():
            outbound = OutboundMessage.objects.create(**fields)
            transaction.on_commit(lambda: enqueue(send_outbound_message, outbound.pk))
    except IntegrityError:
        return False
    return True


def template_values(tenant: Tenant, stay: Reservation, language: str) -> dict[str, str]:
    """Every value a template of these purposes may take (message_templates.PARAMETERS)."""
    return {
        "guest_name": stay.guest_name.split()[0] if stay.guest_name.strip() else stay.guest_name,
        "hotel_name": tenant.name,
        "reservation_code": stay.code,
        "check_in_date": long_date(stay.check_in, language),
        "check_out_date": long_date(stay.check_out, language),
        "check_in_time": clock(tenant.check_in_time, language),
        "address": " ".join(tenant.address.split()) or tenant.name,
        "guest_link": guest_link_url(stay) or "",
        "total": money(stay.total, stay.currency, language),
    }


def survey_choices(text: str, language: str) -> dict:
    """The survey as a WhatsApp list: five rows, 5 (best) first."""
    labels = SURVEY_CHOICES[language]
    return {"body": text, "button": SURVEY_BUTTON[language], "choices": [
        {"id": f"{SURVEY_CHOICE_PREFIX}{score}", "title": f"{score} {'★' * score}", "description": label}
        for score, label in zip(range(5, 0, -1), labels, strict=True)
    ]}
