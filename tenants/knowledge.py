"""What the agent may tell guests about one hotel, read once and kept in the cache.

Staff write FAQ entries; a hotel that has none for a topic still answers from its
own fields (address, phone, times, cancellation policy, late check-out), so a new
hotel is not mute. Every guest message may need this, hence the cache: the entries
are kept with the per-hotel generation they were read under, which any change to
the hotel or its entries replaces (tenants/signals.py), so an edit in the admin is seen by the next message
without waiting for an expiry, and a warm read touches no database.
"""
import datetime
import logging
import uuid
from dataclasses import dataclass

from babel.dates import format_time
from babel.numbers import format_currency
from django.core.cache import cache
from django.db import transaction

from .models import FAQEntry, Tenant

CACHE_SECONDS = 24 * 60 * 60
LANGUAGES = ("es", "en")
_LOCALES = {"es": "es_ES", "en": "en_US"}


logger = logging.getLogger(__name__)

@dataclass(frozen=True)
class KnowledgeEntry:
    topic: str
    language: str
    questions: tuple[str, ...]
    answer: str


def _generation_key(tenant_id: int) -> str:
    return f"knowledge:generation:{tenant_id}"


def _generation(tenant_id: int) -> str:
    key = _generation_key(tenant_id)
    generation = cache.get(key)
    if generation is None:
        # A random token, never a counter: an evicted counter restarting at 0 would
        # bring back entries cached under an old 0.
        cache.add(key, uuid.uuid4().hex, timeout=None)
        generation = cache.get(key)
    return generation


def forget_knowledge(tenant_id: int) -> None:
    """Start a new generation now and again at commit: a reader between the two
    could otherwise cache the rows as they were before the transaction."""

    def bump() -> None:
        cache.set(_generation_key(tenant_id), uuid.uuid4().hex, timeout=None)

    bump()
    transaction.on_commit(bump)


def knowledge_for(tenant: Tenant) -> tuple[KnowledgeEntry, ...]:
    """The hotel's active FAQ entries (by position), then answers made from its own
    fields for the topics no active entry covers, in Spanish and English.

    The entries are kept beside the generation they were read under and fetched
    with it in one round trip: every guest message reads them."""
    generation_key, key = _generation_key(tenant.pk), _entries_key(tenant.pk)
    try:
        found = cache.get_many([generation_key, key])
        generation, kept = found.get(generation_key), found.get(key)
        if generation is None:
            generation = _generation(tenant.pk)
        elif isinstance(kept, tuple) and len(kept) == 2 and kept[0] == generation:
            return kept[1]
    except Exception:  # the cache is down: the database answers every turn until it is back
        logger.warning("hotel knowledge read without the cache", exc_info=True)
        return _build(tenant)
    entries = _build(tenant)
    try:
        cache.set(key, (generation, entries), timeout=CACHE_SECONDS)
    except Exception:
        logger.warning("hotel knowledge not cached", exc_info=True)
    return entries


def _entries_key(tenant_id: int) -> str:
    return f"knowledge:entries:{tenant_id}"


def _build(tenant: Tenant) -> tuple[KnowledgeEntry, ...]:
    rows = FAQEntry.objects.with_scope(tenant=tenant).filter(is_active=True).order_by("position", "id")
    written = tuple(
        KnowledgeEntry(topic=row.topic, language=row.language, questions=row.question_list, answer=row.answer)
        for row in rows
    )
    covered = {entry.topic for entry in written}
    made = tuple(entry for entry in synthesized_entries(tenant) if entry.topic not in covered)
    return written + made


def _time(value: datetime.time, language: str = "es") -> str:
    """"15:00" for Spanish guests, "3:00 PM" for English ones."""
    return format_time(value, format="short", locale=_LOCALES[language])


def _money(amount, currency: str, language: str) -> str:
    return format_currency(amount, currency, locale=_LOCALES[language])


QUESTIONS = {
    ("address", "es"): ("¿Cuál es la dirección del hotel?", "¿Dónde estáis?", "¿Dónde está el hotel?"),
    ("address", "en"): ("What is the hotel's address?", "Where are you located?", "Where is the hotel?"),
    ("directions", "es"): ("¿Cómo llego al hotel?", "¿Cómo llego desde el aeropuerto?",
                           "¿Cómo se llega desde la estación?"),
    ("directions", "en"): ("How do I get to the hotel?", "How do I get there from the airport?",
                           "Directions from the station"),
    ("phone", "es"): ("¿Cuál es vuestro teléfono?", "¿Puedo llamar al hotel?", "¿Tenéis email?"),
    ("phone", "en"): ("What is your phone number?", "Can I call the hotel?", "What is your email?"),
    ("check_in_out", "es"): ("¿A qué hora es el check-in?", "¿A qué hora es el check-out?",
                             "¿Hora de entrada y de salida?"),
    ("check_in_out", "en"): ("What time is check-in?", "What time is check-out?",
                             "Check-in and check-out times"),
    ("cancellation", "es"): ("¿Cuál es la política de cancelación?", "¿Puedo cancelar gratis?"),
    ("cancellation", "en"): ("What is your cancellation policy?", "Can I cancel for free?"),
    ("late_checkout", "es"): ("¿Puedo hacer late check-out?", "¿Puedo salir más tarde?"),
    ("late_checkout", "en"): ("Can I have a late check-out?", "Can I check out later?"),
}


def synthesized_entries(tenant: Tenant) -> list[KnowledgeEntry]:
    """Answers built from the hotel's fields, for both languages; topics whose field
    is empty are left out so the agent hands over rather than invent."""
    answers: dict[tuple[str, str], str] = {}
    if tenant.address:
        answers["address", "es"] = f"Estamos en {tenant.address}."
        answers["address", "en"] = f"We are at {tenant.address}."
    if tenant.directions:
        answers["directions", "es"] = answers["directions", "en"] = tenant.directions
    elif tenant.address:
        answers["directions", "es"] = f"Estamos en {tenant.address}; cualquier taxi o mapa te trae."
        answers["directions", "en"] = f"We are at {tenant.address}; any taxi or map app will bring you."
    contact_es = [f"teléfono {tenant.support_phone}"] if tenant.support_phone else []
    contact_en = [f"phone {tenant.support_phone}"] if tenant.support_phone else []
    if tenant.support_email:
        contact_es.append(f"email {tenant.support_email}")
        contact_en.append(f"email {tenant.support_email}")
    if contact_es:
        answers["phone", "es"] = f"Puedes contactarnos en: {', '.join(contact_es)}."
        answers["phone", "en"] = f"You can reach us at: {', '.join(contact_en)}."
    check_in, check_out = _time(tenant.check_in_time), _time(tenant.check_out_time)
    answers["check_in_out", "es"] = (
        f"El check-in es a partir de las {check_in} y el check-out hasta las {check_out}."
    )
    check_in, check_out = _time(tenant.check_in_time, "en"), _time(tenant.check_out_time, "en")
    answers["check_in_out", "en"] = f"Check-in is from {check_in} and check-out is until {check_out}."
    if tenant.cancellation_policy:
        answers["cancellation", "es"] = answers["cancellation", "en"] = tenant.cancellation_policy
    if tenant.late_checkout_until:
        until = _time(tenant.late_checkout_until)
        es = f"Según disponibilidad, puedes dejar la habitación hasta las {until}"
        en = f"Subject to availability, you can keep the room until {until}"
        if tenant.late_checkout_fee:
            es += f" por {_money(tenant.late_checkout_fee, tenant.currency, 'es')}"
            en += f" for {_money(tenant.late_checkout_fee, tenant.currency, 'en')}"
        answers["late_checkout", "es"] = es + ". Pídelo en recepción."
        answers["late_checkout", "en"] = en + ". Just ask at the front desk."
    return [
        KnowledgeEntry(topic=topic, language=language, questions=QUESTIONS[topic, language], answer=answer)
        for (topic, language), answer in answers.items()
    ]
