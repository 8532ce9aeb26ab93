"""A guest's message read as an answer to what the hotel wrote first, before
the agent sees it: "STOP" (no more messages), "START" (messages again), and
the post-stay survey's score and comment.

Each returns the replies of the turn, or None when the message is none of
these and goes to the agent. They run inside the turn's transaction
(processing.process_message), so the rating, the opt-out and the replies
commit together, once.
"""
import logging
import re
import unicodedata

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from reservations.models import GuestRating
from security import audit
from security.rotation import manager_emails

from .agent.replies import language_or_default
from .agent.state import State
from .guest_messaging import SURVEY_CHOICE_PREFIX
from .models import Conversation, GuestOptOut, InboundMessage, MessagePurpose, OutboundMessage

logger = logging.getLogger(__name__)

#: A survey is answered within this many days of being sent; later a "5" is just a "5".
SURVEY_ANSWER_DAYS = 7
LOW_SCORE = 2

OPT_OUT = frozenset({
    "stop", "baja", "darme de baja", "dar de baja", "no mas mensajes", "no quiero mas mensajes",
    "unsubscribe", "stop messages", "no more messages", "cancelar suscripcion",
})
OPT_IN = frozenset({"start", "alta", "unstop"})
NUMBER_WORDS = {
    "uno": 1, "one": 1, "dos": 2, "two": 2, "tres": 3, "three": 3, "cuatro": 4, "four": 4,
    "cinco": 5, "five": 5,
}
_SCORE = re.compile(
    r"^(?:(?:le )?(?:doy|pongo) |i (?:d )?give (?:it |you )?)?(?:un |una |a )?"  # "le doy un", "i give it a"
    r"([1-5]) ?(?:/ ?5|de 5|out of 5|sobre 5|estrellas?|stars?|puntos?|points?)?$"
)
#: The agent's states in which a lone number answers the survey rather than a
#: question of the agent's ("how many guests?" → "2").
SURVEY_STATES = frozenset({State.IDLE, State.BOOKED, State.SURVEY_COMMENT})

REPLIES = {
    "opted_out": {
        "es": "Hecho: no te escribiremos más por iniciativa nuestra. Si nos escribes, te seguiremos "
              "respondiendo. Para volver a recibir avisos, escribe ALTA.",
        "en": "Done: we won't message you first again. If you write to us we'll still answer. "
              "To get our messages again, write START.",
    },
    "opted_in": {
        "es": "¡De acuerdo! Volverás a recibir nuestros avisos sobre tus reservas.",
        "en": "All right! You'll get our messages about your bookings again.",
    },
    "thanks": {
        "es": "¡Muchas gracias por tu valoración ({score}/5)! Si quieres, cuéntanos en un mensaje qué "
              "te gustó o qué podemos mejorar.",
        "en": "Thank you very much for your rating ({score}/5)! If you like, tell us in a message what "
              "you enjoyed or what we could do better.",
    },
    "sorry": {
        "es": "Gracias por decírnoslo ({score}/5), y sentimos que tu estancia no fuera buena. He avisado "
              "al equipo del hotel, que se pondrá en contacto contigo. Si quieres, cuéntanos qué pasó.",
        "en": "Thank you for telling us ({score}/5), and we're sorry your stay wasn't good. I've let the "
              "hotel team know and they will contact you. If you like, tell us what happened.",
    },
    "comment_thanks": {
        "es": "Gracias por tus comentarios, se los hacemos llegar al equipo.",
        "en": "Thank you for your comments, we'll pass them on to the team.",
    },
}


def plain(text: str) -> str:
    """Lower case, no accents, no punctuation around: "¡No más mensajes!" → "no mas mensajes"."""
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^\w\s/]", " ", text).split())


def survey_score(text: str, choice_id: str = "") -> int | None:
    """1–5 from a tapped survey row, "4", "4/5", "5 estrellas", "cuatro", "⭐⭐⭐⭐"."""
    if choice_id.startswith(SURVEY_CHOICE_PREFIX):
        value = choice_id.removeprefix(SURVEY_CHOICE_PREFIX)
        return int(value) if value in {"1", "2", "3", "4", "5"} else None
    stars = text.count("⭐") + text.count("★")
    if stars and not plain(text.replace("⭐", "").replace("★", "")):
        return min(stars, 5)
    words = plain(text)
    if words in NUMBER_WORDS:
        return NUMBER_WORDS[words]
    match = _SCORE.match(words)
    return int(match.group(1)) if match else None


def answer(message: InboundMessage, conversation: Conversation, *, choice_id: str = "") -> list[str] | None:
    """The replies when the message answers what the hotel wrote first, else None."""
    if message.message_type not in ("text", "button", "interactive"):
        return None
    words = plain(message.text)
    language = language_or_default(conversation.language or message.tenant.language)
    if words in OPT_OUT:
        return _opt_out(message, conversation, language)
    if words in OPT_IN:
        return _opt_in(message, conversation, language)
    if conversation.state == State.SURVEY_COMMENT:
        score = survey_score(message.text, choice_id)
        if score is None:
            return _comment(message, conversation, language)
    return _survey_answer(message, conversation, language, choice_id)


def _finish(conversation: Conversation, *, state: str, slots: dict | None = None) -> None:
    conversation.state = state
    if slots is not None:
        conversation.slots = slots
    conversation.last_activity_at = timezone.now()
    conversation.save(update_fields=["state", "slots", "needs_staff", "last_activity_at", "language"])


def _opt_out(message, conversation, language) -> list[str]:
    _, created = GuestOptOut.objects.with_scope(tenant=message.tenant).get_or_create(
        tenant=message.tenant, channel=message.channel, guest_id=message.sender_id,
        defaults={"text": message.text[:200]},
    )
    if created:
        audit.record(audit.Type.DATA_MODIFICATION, tenant=message.tenant, action="guest_opted_out",
                     actor=f"guest:{message.sender_id}", resource=f"{message.channel}:{message.sender_id}",
                     details={"text": message.text[:200]})
    _finish(conversation, state=conversation.state)
    return [REPLIES["opted_out"][language]]


def _opt_in(message, conversation, language) -> list[str] | None:
    removed, _ = GuestOptOut.objects.with_scope(tenant=message.tenant).filter(
        channel=message.channel, guest_id=message.sender_id).delete()
    if not removed:
        return None  # "start" from someone who never opted out: the agent's to answer
    audit.record(audit.Type.DATA_MODIFICATION, tenant=message.tenant, action="guest_opted_in",
                 actor=f"guest:{message.sender_id}", resource=f"{message.channel}:{message.sender_id}")
    _finish(conversation, state=conversation.state)
    return [REPLIES["opted_in"][language]]


def _open_survey(message: InboundMessage) -> OutboundMessage | None:
    since = timezone.now() - timezone.timedelta(days=SURVEY_ANSWER_DAYS)
    return (
        OutboundMessage.objects.with_scope(tenant=message.tenant)
        .filter(purpose=MessagePurpose.POST_STAY_SURVEY, channel=message.channel,
                recipient_id=message.sender_id, created_at__gte=since, reservation__isnull=False)
        .exclude(status=OutboundMessage.Status.FAILED)
        .select_related("reservation").order_by("-created_at").first()
    )


def _survey_answer(message, conversation, language, choice_id) -> list[str] | None:
    score = survey_score(message.text, choice_id)
    if score is None:
        return None
    if State.load(conversation.state) not in SURVEY_STATES and not conversation.is_expired():
        return None
    survey = _open_survey(message)
    if survey is None:
        return None
    rating, created = GuestRating.objects.with_scope(tenant=message.tenant).update_or_create(
        tenant=message.tenant, reservation=survey.reservation, defaults={"score": score},
    )
    low = score <= LOW_SCORE
    if low:
        conversation.needs_staff = True
        stay = survey.reservation
        transaction.on_commit(lambda: alert_low_score(message.tenant, stay, score, conversation.pk))
    audit.record(audit.Type.DATA_MODIFICATION, tenant=message.tenant, action="guest_rated_stay",
                 actor=f"guest:{message.sender_id}", resource=f"reservation:{survey.reservation.code}",
                 details={"score": score, "changed": not created, "handed_to_staff": low})
    _finish(conversation, state=State.SURVEY_COMMENT, slots={**(conversation.slots or {}),
                                                             "survey_rating": rating.pk})
    return [REPLIES["sorry" if low else "thanks"][language].format(score=score)]


def _comment(message, conversation, language) -> list[str]:
    rating_pk = (conversation.slots or {}).get("survey_rating")
    rating = GuestRating.objects.with_scope(tenant=message.tenant).filter(pk=rating_pk).first()
    slots = {key: value for key, value in (conversation.slots or {}).items() if key != "survey_rating"}
    if rating is not None:
        rating.comment = (f"{rating.comment}\n{message.text}" if rating.comment else message.text)[:2000]
        rating.save(update_fields=["comment"])
    _finish(conversation, state=State.IDLE, slots=slots)
    return [REPLIES["comment_thanks"][language]]


def alert_low_score(tenant, stay, score: int, conversation_pk: int) -> None:
    """E-mail the hotel's support address and managers; logged, never raised."""
    recipients = list(dict.fromkeys(filter(None, [tenant.support_email, *manager_emails(tenant)])))
    if not recipients:
        logger.warning("%s: low rating %s for %s and nobody to e-mail", tenant.slug, score, stay.code)
        return
    context = {"hotel": tenant, "stay": stay, "score": score,
               "conversation_url": f"{settings.PUBLIC_BASE_URL.rstrip('/')}/admin/webhooks/conversation/"
                                   f"{conversation_pk}/change/"}
    try:
        with translation.override(tenant.language):
            subject, _, body = render_to_string("emails/low_guest_rating.txt", context).partition("\n")
        send_mail(subject.strip(), body.strip() + "\n", settings.SERVER_EMAIL, recipients)
    except Exception:
        logger.exception("%s: could not e-mail the low rating of %s", tenant.slug, stay.code)
