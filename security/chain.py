"""The tamper-evident chain the audit events form.

Each event extends one chain, its hotel's (`tenant:<id>`) or, for events of no
hotel, `global`, taking the next sequence number and
`hash = SHA-256(prev_hash + canonical(event))`. Editing, removing or reordering a
stored event makes the recomputation disagree from that event on, which is what
`verify_chain` looks for.

Appending on PostgreSQL takes a transaction-scoped advisory lock named after the
chain (security.locking: waited for at most LOCK_TIMEOUT_SECONDS, then Busy),
then reads the chain's head and inserts the next event: appends to one chain are
serialized, different hotels never wait for each other, and the lock
goes with the surrounding transaction, so an event recorded inside a booking
holds its hotel's chain until the booking commits or rolls back (a rolled-back
event leaves no gap). Record the audit event last in a transaction, after the
domain rows are locked, so every transaction takes its locks in the same order.
SQLite has a single writer, which serializes appends without a lock.

The hash is not keyed: it proves the stored trail was not rewritten after the
fact, not that nobody with INSERT rights appended a well-formed forgery, and it
cannot notice the newest events being removed from the end of a chain. The
PostgreSQL trigger of migration 0003 refuses UPDATE and DELETE outright.
"""
import datetime
import hashlib
import ipaddress
import json
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from . import locking
from .models import AuditEvent

GENESIS = "0" * 64  # the prev_hash of every chain's first event
GLOBAL = "global"


def chain_name(tenant_id: int | None) -> str:
    return GLOBAL if tenant_id is None else f"tenant:{tenant_id}"


def _canonical_ip(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value))  # the database may spell IPv6 differently
    except ValueError:
        return value


def canonical(event) -> str:
    """The event as hashed: sorted-keys JSON of what it says and where it sits.
    Never change this format: every stored hash depends on it."""
    created_at = event.created_at.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    return json.dumps(
        {
            "event_type": event.event_type,
            "action": event.action,
            "tenant": event.tenant_id,
            "actor": event.actor,
            "ip": _canonical_ip(event.ip_address),
            "resource": event.resource,
            "details": event.details,
            "created_at": created_at,
            "chain": event.chain,
            "sequence": event.sequence,
        },
        sort_keys=True,
        separators=(",", ":"),
    )


def compute_hash(prev_hash: str, event) -> str:
    return hashlib.sha256((prev_hash + canonical(event)).encode()).hexdigest()


def _events():
    return AuditEvent.objects.with_scopes_disabled()


def append(event: AuditEvent, *, savepoint: bool = True) -> AuditEvent:
    """Insert `event` (not yet saved) as the next link of its hotel's chain.
    Raises Busy when another transaction holds the chain too long. `savepoint`
    as in `locking.locked`."""
    event.chain = chain_name(event.tenant_id)
    with locking.locked(f"audit-chain:{event.chain}", savepoint=savepoint):
        head = (
            _events().filter(chain=event.chain, sequence__isnull=False)
            .order_by("-sequence").values_list("sequence", "hash").first()
        )
        last_sequence, event.prev_hash = head or (0, GENESIS)
        event.sequence = last_sequence + 1
        # Stamped here, under the lock, so time never runs backwards along a chain.
        event.created_at = timezone.now()
        event.hash = compute_hash(event.prev_hash, event)
        event.save(force_insert=True)
    return event


@dataclass(frozen=True)
class Break:
    """The first event at which a chain stops verifying."""

    event_id: int
    chain: str
    sequence: int | None
    problem: str  # changed, removed, reordered or unchained
    detail: str

    def __str__(self) -> str:
        return (f"event {self.event_id} (chain {self.chain}, sequence {self.sequence}) "
                f"{self.problem}: {self.detail}")


@dataclass(frozen=True)
class ChainReport:
    chain: str
    events: int
    head: str
    broken: Break | None = None

    @property
    def ok(self) -> bool:
        return self.broken is None


def chain_names() -> list[str]:
    events = _events().order_by()
    names = set(events.exclude(chain="").values_list("chain", flat=True).distinct())
    names |= {chain_name(tenant_id) for tenant_id in
              events.filter(chain="").values_list("tenant_id", flat=True).distinct()}
    return sorted(names)


def _owned_by(chain: str) -> Q:
    if chain == GLOBAL:
        return Q(tenant__isnull=True)
    return Q(tenant_id=int(chain.removeprefix("tenant:")))


def _belongs_elsewhere(event: AuditEvent) -> AuditEvent | None:
    """The link of the same chain whose hash `event`'s content produces, when the
    content was moved from there (its own hash no longer matches)."""
    for other in _events().filter(chain=event.chain, sequence__isnull=False).exclude(pk=event.pk).iterator():
        moved = AuditEvent(**{
            field.attname: getattr(event, field.attname) for field in AuditEvent._meta.concrete_fields
        })
        moved.sequence = other.sequence
        if compute_hash(other.prev_hash, moved) == other.hash:
            return other
    return None


def _check(event: AuditEvent, expected: int, prev_hash: str, prev_id: int | None) -> Break | None:
    def broken(problem: str, detail: str) -> Break:
        return Break(event.pk, event.chain, event.sequence, problem, detail)

    if event.sequence != expected:
        missing = f"{expected}" if event.sequence == expected + 1 else f"{expected}-{event.sequence - 1}"
        return broken("removed", f"sequence {missing} is missing before it")
    if compute_hash(event.prev_hash, event) != event.hash:
        origin = _belongs_elsewhere(event)
        if origin is not None:
            return broken("reordered", f"its content was written as sequence {origin.sequence}")
        return broken("changed", "its content no longer matches its hash")
    if event.prev_hash != prev_hash:
        return broken("changed", f"its prev_hash does not match the hash of sequence {expected - 1}")
    if prev_id is not None and event.pk < prev_id:
        return broken("reordered", f"it was stored before sequence {expected - 1} (id {prev_id})")
    return None


def verify_chain(chain: str) -> ChainReport:
    """Walk `chain` in sequence order recomputing every hash; report the first break."""
    unchained = (
        _events().filter(_owned_by(chain) | Q(chain=chain), sequence__isnull=True).order_by("pk").first()
    )
    if unchained is not None:
        return ChainReport(chain, 0, "", Break(
            unchained.pk, chain, None, "unchained", "it was written without a sequence and hash"
        ))
    expected, prev_hash, prev_id = 1, GENESIS, None
    events = _events().filter(chain=chain, sequence__isnull=False).order_by("sequence")
    for event in events.iterator(chunk_size=2000):
        problem = _check(event, expected, prev_hash, prev_id)
        if problem is not None:
            return ChainReport(chain, expected - 1, prev_hash, problem)
        expected, prev_hash, prev_id = expected + 1, event.hash, event.pk
    return ChainReport(chain, expected - 1, prev_hash)


def verify_chains(chains: list[str] | None = None) -> list[ChainReport]:
    return [verify_chain(chain) for chain in (chain_names() if chains is None else chains)]
