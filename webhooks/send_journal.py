"""Meta's message id for a reply, written to the cache the moment Meta answers.

The database write that records a send can fail (a dropped connection, a
database restart, a worker killed right after the call). The journal is a second,
independent record, written first: the sweep reads it to settle replies left
`sending`, and a status notification whose wamid the database does not know is
looked up in it. It is a cache, so it may be gone (Redis restarted); then the
recipient-based match in `intake.apply_status` and the documented resend delay
are what is left.
"""
import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)

TTL = 3 * 24 * 60 * 60  # longer than any retry horizon or status delay


def _by_reply(pk: int) -> str:
    return f"send-journal:reply:{pk}"


def _by_wamid(wamid: str) -> str:
    return f"send-journal:wamid:{wamid}"


def remember(pk: int, wamid: str) -> None:
    try:
        cache.set_many({_by_reply(pk): wamid, _by_wamid(wamid): pk}, timeout=TTL)
    except Exception:  # the database write comes next; a cache outage must not stop it
        logger.warning("could not journal the send of reply %s (%s)", pk, wamid, exc_info=True)


def wamids_for(pks: list[int]) -> dict[int, str]:
    """{reply pk: wamid} for the replies Meta is known to have accepted."""
    if not pks:
        return {}
    try:
        found = cache.get_many([_by_reply(pk) for pk in pks])
    except Exception:
        logger.warning("could not read the send journal", exc_info=True)
        return {}
    return {pk: found[_by_reply(pk)] for pk in pks if _by_reply(pk) in found}


def reply_for(wamid: str) -> int | None:
    try:
        return cache.get(_by_wamid(wamid))
    except Exception:
        logger.warning("could not read the send journal", exc_info=True)
        return None
