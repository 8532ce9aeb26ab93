"""The corpus vocabulary (turns, outcomes, conversations) and the runner that plays
one conversation against the real agent and says what a guest would have noticed.

Expectations are regexes over what the guest reads, matched case-insensitively with
accents folded on both sides, so the agent's wording can change freely."""
from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from babel.dates import format_date
from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django_scopes import scopes_disabled

# What today's agent says when it has not understood: "Perdona, no te he entendido.
# Puedo consultar ... ver o cancelar una reserva con su código (HA-XXXXXX) ..." and
# "Sorry, I didn't get that. I can check availability ... look up or cancel a booking
# by its code (HA-XXXXXX) ...". It must never be the answer to a hotel-facts question.
FALLBACK = (
    r"no te he entendido|no (lo )?entiendo|didn.?t (get|understand)|not sure i understand"
    r"|cancelar una reserva con su codigo|cancel a booking by its code"
)

DEFAULT_PHONE = {"hotel-sol": "+34612345678", "harbor-inn": "+16175550123"}


def fold(text: str) -> str:
    """Lower case without accents and with plain spaces: 'Habitación' == 'habitacion'."""
    text = unicodedata.normalize("NFKD", text.replace("\xa0", " ").replace("\u202f", " "))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


# ---------------------------------------------------------------- the vocabulary


@dataclass(frozen=True)
class Turn:
    """One guest message and what its replies must (not) say. `fact` marks a question
    about the hotel, which the "didn't understand" menu must never answer."""

    text: str
    says: Sequence[str] = ()
    not_says: Sequence[str] = ()
    choice_id: str = ""
    fact: bool = False


def Fact(text: str, says: Sequence[str] = (), not_says: Sequence[str] = ()) -> Turn:  # noqa: N802
    return Turn(text, says=says, not_says=not_says, fact=True)


@dataclass(frozen=True)
class Existing:
    """A reservation made elsewhere (API, admin, web) before the chat starts.
    `phone=None` means the conversation's default phone for that hotel."""

    check_in: datetime.date
    check_out: datetime.date
    room: str = "deluxe"
    guests: int = 2
    name: str = "Carmen Ruiz Alonso"
    email: str = "carmen.ruiz@example.com"
    phone: str | None = None


@dataclass
class Run:
    """What one played conversation left behind, for the outcome checks."""

    conversation: object
    hotel: object
    existing: object | None
    existing_spec: Existing | None
    replies: list[str] = field(default_factory=list)


class Outcome:
    def check(self, run: Run) -> str | None:  # a reason when it failed
        raise NotImplementedError


def _new_reservations(run: Run):
    from reservations.models import Reservation

    # The demo hotels open with the front desk's own bookings (seed_demo, source admin);
    # what a conversation books comes from the guest's channel.
    qs = Reservation.objects.filter(tenant=run.hotel).exclude(source=Reservation.Source.ADMIN)
    if run.existing is not None:
        qs = qs.exclude(pk=run.existing.pk)
    return qs


@dataclass(frozen=True)
class Booked(Outcome):
    """Exactly one new confirmed reservation; only the fields given are compared."""

    check_in: datetime.date | None = None
    check_out: datetime.date | None = None
    guests: int | None = None
    room: str | None = None
    name: str | None = None
    email: str | None = None
    phone: str | None = None

    def check(self, run: Run) -> str | None:
        booked = list(_new_reservations(run).filter(status="confirmed").select_related("room_type"))
        if len(booked) != 1:
            return f"expected one confirmed booking, found {len(booked)}"
        r = booked[0]
        actual = {"check_in": r.check_in, "check_out": r.check_out, "guests": r.guests,
                  "room": r.room_type.code, "name": r.guest_name, "email": r.guest_email,
                  "phone": r.guest_phone}
        wrong = [f"{key}={actual[key]!r} (wanted {getattr(self, key)!r})" for key in actual
                 if getattr(self, key) is not None and actual[key] != getattr(self, key)]
        return "booked with " + ", ".join(wrong) if wrong else None


@dataclass(frozen=True)
class NoBooking(Outcome):
    def check(self, run: Run) -> str | None:
        count = _new_reservations(run).count()
        return f"expected no booking, found {count}" if count else None


@dataclass(frozen=True)
class HandedOff(Outcome):
    def check(self, run: Run) -> str | None:
        return None if run.conversation.needs_staff else "expected a handoff to staff (needs_staff is False)"


@dataclass(frozen=True)
class NotHandedOff(Outcome):
    def check(self, run: Run) -> str | None:
        return "handed to staff, but the agent should have answered" if run.conversation.needs_staff else None


@dataclass(frozen=True)
class Cancelled(Outcome):
    code_placeholder: str = "{code}"

    def check(self, run: Run) -> str | None:
        run.existing.refresh_from_db()
        status = run.existing.status
        return None if status == "cancelled" else f"reservation is {status}, not cancelled"


@dataclass(frozen=True)
class StillConfirmed(Outcome):
    def check(self, run: Run) -> str | None:
        run.existing.refresh_from_db()
        return None if run.existing.status == "confirmed" else f"reservation became {run.existing.status}"


@dataclass(frozen=True)
class LateCheckoutRequested(Outcome):
    def check(self, run: Run) -> str | None:
        try:
            model = apps.get_model("reservations", "LateCheckoutRequest")
        except LookupError:
            return "reservations.LateCheckoutRequest does not exist"
        return None if model.objects.exists() else "no LateCheckoutRequest was stored"


@dataclass(frozen=True)
class NothingRevealed(Outcome):
    """Someone who only knows a code must not learn the guest's name, email or dates."""

    def check(self, run: Run) -> str | None:
        spec = run.existing_spec
        secrets = [spec.name, spec.name.split()[0], spec.email]
        for day in (spec.check_in, spec.check_out):
            secrets += [day.isoformat(), day.strftime("%d/%m"), format_date(day, "d 'de' MMMM", locale="es"),
                        format_date(day, "MMMM d", locale="en"), format_date(day, "d MMMM", locale="en")]
        text = fold("\n".join(run.replies))
        leaked = [s for s in secrets if fold(s) in text]
        return f"revealed {leaked}" if leaked else None


@dataclass(frozen=True)
class Conversation:
    id: str
    category: str
    hotel: str
    turns: Sequence[Turn]
    outcome: Outcome | tuple[Outcome, ...] | None = None
    phone: str | None = None
    existing: Existing | None = None

    @property
    def language(self) -> str:
        return self.id.split("-", 1)[0]


@dataclass(frozen=True)
class Failure:
    conversation: str
    category: str
    turn: int | None  # None: the outcome, after the last turn
    reason: str


# ---------------------------------------------------------------- the runner


def run_conversation(spec: Conversation) -> Failure | None:
    """Play one conversation in a savepoint that is rolled back, so no conversation
    sees another's bookings; the first thing that went wrong, or None."""
    cache.clear()
    with scopes_disabled(), transaction.atomic():
        try:
            return _play(spec)
        except Exception as exc:  # noqa: BLE001 - a crash is a failed conversation, reported as such
            return Failure(spec.id, spec.category, None, f"exception {type(exc).__name__}: {exc}")
        finally:
            transaction.set_rollback(True)


def _play(spec: Conversation) -> Failure | None:
    from reservations.services import reservation_create
    from tenants.models import Tenant
    from webhooks.agent import respond
    from webhooks.models import Conversation as ConversationModel

    hotel = Tenant.objects.get(slug=spec.hotel)
    phone = spec.phone or DEFAULT_PHONE[spec.hotel]
    existing = None
    if spec.existing is not None:
        e = spec.existing
        existing = reservation_create(
            tenant=hotel, room_type=e.room, check_in=e.check_in, check_out=e.check_out, guests=e.guests,
            guest_name=e.name, guest_email=e.email, guest_phone=e.phone or DEFAULT_PHONE[spec.hotel],
            source="api", actor="corpus",
        )
    conversation = ConversationModel.objects.create(
        tenant=hotel, channel="whatsapp", guest_id=re.sub(r"\D", "", phone), guest_phone=phone,
    )
    run = Run(conversation, hotel, existing, spec.existing)
    code = existing.code if existing is not None else ""

    def fail(index: int | None, reason: str) -> Failure:
        return Failure(spec.id, spec.category, index, reason)

    questions: list[str] = []
    for index, turn in enumerate(spec.turns):
        extra = {"choice_id": turn.choice_id} if turn.choice_id else {}
        replies = respond(conversation=conversation, text=turn.text.replace("{code}", code),
                          message_type="text", **extra)
        conversation.refresh_from_db()
        run.replies.extend(replies)
        if not replies or any(not (r or "").strip() for r in replies):
            return fail(index, f"empty reply to {turn.text!r}")
        joined = "\n".join(replies)
        text = fold(joined)
        shown = f"{turn.text!r} -> {joined[:160]!r}"
        if turn.fact and re.search(FALLBACK, text, re.I):
            return fail(index, f"fallback menu answered a hotel question: {shown}")
        for pattern in turn.says:
            if not re.search(fold(pattern.replace("{code}", re.escape(code))), text, re.I | re.S):
                return fail(index, f"missing /{pattern}/: {shown}")
        for pattern in turn.not_says:
            if re.search(fold(pattern.replace("{code}", re.escape(code))), text, re.I | re.S):
                return fail(index, f"should not say /{pattern}/: {shown}")
        questions.append(_question(text))
        if len(questions) >= 3 and questions[-1] and questions[-1] == questions[-2] == questions[-3]:
            return fail(index, f"same question three turns in a row: {questions[-1][:100]!r}")
    outcomes = spec.outcome if isinstance(spec.outcome, tuple) else (spec.outcome,)
    for outcome in outcomes:
        if outcome is not None and (reason := outcome.check(run)):
            return fail(None, f"{type(outcome).__name__}: {reason}")
    return None


def _question(text: str) -> str:
    """The last line that asks something, which is what a guest sees repeated."""
    asked = [line.strip() for line in text.splitlines() if "?" in line]
    return asked[-1] if asked else ""


def report(conversations: Sequence[Conversation], failures: Sequence[Failure]) -> str:
    """A per-category table plus the first 40 failures, for the terminal and the assertion."""
    failed = {f.conversation for f in failures}
    categories = sorted({c.category for c in conversations})
    lines = [f"{'category':<22}{'passed':>8}{'total':>7}{'%':>7}"]
    for category in categories + ["TOTAL"]:
        members = [c for c in conversations if category in ("TOTAL", c.category)]
        passed = sum(c.id not in failed for c in members)
        lines.append(f"{category:<22}{passed:>8}{len(members):>7}{100 * passed / len(members):>6.0f}%")
    lines.append(f"failures ({len(failures)}, first 40):")
    for f in list(failures)[:40]:
        where = "outcome" if f.turn is None else f"turn {f.turn}"
        lines.append(f"  {f.conversation} [{where}] {f.reason}")
    return "\n".join(lines)


def rate(
    conversations: Sequence[Conversation], failures: Sequence[Failure], category: str | None = None,
) -> float:
    members = [c for c in conversations if category in (None, c.category)]
    failed = {f.conversation for f in failures}
    return sum(c.id not in failed for c in members) / len(members)
