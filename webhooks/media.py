"""Images, voice notes, videos, documents, stickers and locations guests send.

At intake the message's metadata (media id, MIME type, caption, file name,
coordinates) is stored with it as a `MessageMedia` row, in the same savepoint,
and the download is queued once that commits. The download asks the Graph API
for the file's URL (`GET /<media-id>` with the number's bearer token: media ids
expire after 7 days, so it runs at once) and then fetches the file with the same
token into Django's storage. A file larger than WHATSAPP_MEDIA_MAX_BYTES (as
declared, as announced by the download or as read: reading stops past the
limit) or of a type not allowed for its kind (WHATSAPP_MEDIA_ALLOWED_TYPES, by
the declared type and by the file's first bytes) is refused and never stored.
A timeout, a refused connection, a 429 or a 5xx fails the attempt and the task
tries again a few times; an expired id (4xx) fails for good. Nothing here can
fail the webhook or hold up a reply: the reply does not wait for the file.

A voice note is the exception when transcription is on (webhooks/transcription.py):
`transcribe_before_turn` downloads and transcribes it before the turn locks the
message, so the agent answers the words and no lock is held while calling out.

A stored file goes with its row: Django leaves a FileField's file behind when
the row is deleted (a message, a conversation or a whole hotel), and a guest's
photo or voice note must not outlive what staff deleted.
"""
import datetime
import hashlib
import logging
import mimetypes
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from functools import partial
from typing import Any
from urllib.parse import urlsplit

import httpx
from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from kombu.exceptions import OperationalError

from . import transcription
from .models import InboundMessage, MessageMedia
from .whatsapp_credentials import token_for

logger = logging.getLogger(__name__)

Kind, Status = MessageMedia.Kind, MessageMedia.Status
MEDIA_KINDS = frozenset(Kind.values)
#: A download may be tried (again) from these; downloaded, refused and nothing are final.
DOWNLOADABLE = (Status.PENDING, Status.FAILED)
DOWNLOAD_RETRIES = 3
RETRY_BASE_SECONDS = 30
CONNECT_TIMEOUT = 5.0
_MICRODEGREE = Decimal("0.000001")
MEDIA_ID_LIFETIME = datetime.timedelta(days=7)  # Meta's: the file is gone after that
SWEEP_AFTER = datetime.timedelta(minutes=5)


# --- At intake ---------------------------------------------------------------

def media_store(*, inbound: InboundMessage, fields: dict[str, Any]) -> MessageMedia:
    """The metadata of a media or location message, stored with it (the caller's
    savepoint); the download is queued after the commit. `fields` is the message's
    validated object (envelope.MediaSerializer or LocationSerializer)."""
    kind = inbound.message_type
    common = {"tenant_id": inbound.tenant_id, "inbound": inbound, "kind": kind}
    if kind == Kind.LOCATION:
        return MessageMedia.objects.create(
            **common, status=Status.NOTHING, latitude=_degrees(fields.get("latitude")),
            longitude=_degrees(fields.get("longitude")), place_name=fields.get("name", "")[:255],
            place_address=fields.get("address", "")[:500],
        )
    media_id = fields.get("id", "")
    media = MessageMedia.objects.create(
        **common, media_id=media_id, mime_type=fields.get("mime_type", ""), sha256=fields.get("sha256", ""),
        caption=fields.get("caption", ""), filename=fields.get("filename", "")[:255],
        status=Status.PENDING if media_id else Status.NOTHING,
    )
    if media_id:
        transaction.on_commit(partial(_queue_download, media.pk), robust=True)
    return media


def _degrees(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(_MICRODEGREE, ROUND_HALF_EVEN)


def _queue_download(media_pk: int) -> None:
    """Like webhooks.tasks.enqueue: a broker outage leaves the row pending, it never
    fails the caller (a voice note is still fetched before its turn when it matters)."""
    try:
        download_inbound_media.delay(media_pk)
    except (OperationalError, ConnectionError, OSError) as exc:
        logger.warning("broker unavailable, media %s not queued for download: %s", media_pk, exc)


# --- The download --------------------------------------------------------------

class Refused(Exception):
    """The file may not be kept: too large, or not what it claims to be."""


class Failed(Exception):
    """No file this time; `retryable` when trying again later may help."""

    def __init__(self, reason: str, *, retryable: bool):
        super().__init__(reason)
        self.retryable = retryable


@dataclass(frozen=True)
class Outcome:
    status: str
    retryable: bool = False


@dataclass(frozen=True)
class Fetched:
    content: bytes
    mime_type: str


@shared_task(bind=True, acks_late=True, max_retries=DOWNLOAD_RETRIES)
def download_inbound_media(self, media_pk: int) -> str:
    """One attempt at a guest's file; a transient failure is tried again with a
    growing countdown (at once when eager). Safe to run twice: only a pending or
    failed row is downloaded, and only one download is recorded."""
    outcome = media_download(media_pk=media_pk)
    if outcome.retryable and self.request.retries < self.max_retries:
        raise self.retry(countdown=RETRY_BASE_SECONDS * 2 ** self.request.retries)
    return outcome.status


@shared_task
def sweep_pending_media() -> int:
    """Queue the downloads left behind (stored while the broker was down), while
    their media ids may still be valid. Not on the beat schedule yet."""
    now = timezone.now()
    stale = list(
        MessageMedia.objects.with_scopes_disabled()
        .filter(status=Status.PENDING, created_at__lt=now - SWEEP_AFTER,
                created_at__gt=now - MEDIA_ID_LIFETIME)
        .exclude(media_id="").order_by("created_at").values_list("pk", flat=True)[:1000]
    )
    for pk in stale:
        _queue_download(pk)
    return len(stale)


def media_download(*, media_pk: int) -> Outcome:
    media = (MessageMedia.objects.with_scopes_disabled().select_related("inbound")
             .filter(pk=media_pk, status__in=DOWNLOADABLE).exclude(media_id="").first())
    if media is None:
        return Outcome(_status_of(media_pk))
    try:
        return _keep(media, _fetch(media, token_for(media.inbound.account_external_id)))
    except Refused as refused:
        return _record(media, status=Status.REFUSED, error=str(refused))
    except Failed as failed:
        outcome = _record(media, status=Status.FAILED, error=str(failed))
        return Outcome(outcome.status, retryable=failed.retryable and outcome.status == Status.FAILED)
    except Exception as error:  # a bug or the storage down costs the file, never the webhook or the reply
        logger.exception("media %s could not be downloaded", media.pk)
        return _record(media, status=Status.FAILED, error=f"unexpected error: {type(error).__name__}")


def _status_of(media_pk: int) -> str:
    return MessageMedia.objects.with_scopes_disabled().filter(pk=media_pk).values_list(
        "status", flat=True).first() or ""


def _record(media: MessageMedia, *, status: str, error: str) -> Outcome:
    logger.warning("media %s (%s) %s: %s", media.pk, media.kind, status, error)
    MessageMedia.objects.with_scopes_disabled().filter(pk=media.pk, status__in=DOWNLOADABLE).update(
        status=status, error=error[:500])
    return Outcome(_status_of(media.pk))


def _keep(media: MessageMedia, fetched: Fetched) -> Outcome:
    """Saved under the FileField's upload_to, named by the row and not by the guest's
    file name. A download that lost a race to another one removes its copy."""
    extension = mimetypes.guess_extension(fetched.mime_type) or ".bin"
    storage = media.file.storage
    name = storage.save(media.file.field.generate_filename(media, f"{media.pk}{extension}"),
                        ContentFile(fetched.content))
    recorded = MessageMedia.objects.with_scopes_disabled().filter(
        pk=media.pk, status__in=DOWNLOADABLE).update(
        file=name, size=len(fetched.content), mime_type=fetched.mime_type, status=Status.DOWNLOADED,
        sha256=hashlib.sha256(fetched.content).hexdigest(), error="", downloaded_at=timezone.now())
    if not recorded:
        storage.delete(name)
    return Outcome(_status_of(media.pk))


def _fetch(media: MessageMedia, token: str) -> Fetched:
    timeout = httpx.Timeout(settings.WHATSAPP_MEDIA_TIMEOUT, connect=CONNECT_TIMEOUT)
    try:
        with httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=timeout,
                          follow_redirects=True, max_redirects=3) as http:
            info = _media_info(http, media.media_id)
            mime_type = _essence(info.get("mime_type") or media.mime_type)
            _check_type(media.kind, mime_type)
            _check_size(info.get("file_size"), "declared")
            content = _download(http, _download_url(info.get("url")), media.kind)
    except httpx.TimeoutException:
        raise Failed("the Graph API did not answer in time", retryable=True) from None
    except (httpx.TransportError, httpx.TooManyRedirects) as error:
        raise Failed(f"the Graph API could not be reached ({type(error).__name__})", retryable=True) from None
    if not looks_like(mime_type, content):
        raise Refused(f"the file is not {mime_type}")
    return Fetched(content, mime_type)


def _media_info(http: httpx.Client, media_id: str) -> dict:
    response = http.get(f"{settings.WHATSAPP_API_BASE_URL.rstrip('/')}/{media_id}")
    _raise_for(response)
    try:
        info = response.json()
    except ValueError:
        raise Failed("the Graph API answered something that is not JSON", retryable=False) from None
    if not isinstance(info, dict):
        raise Failed("the Graph API answered without the media's URL", retryable=False)
    return info


def _download_url(url: Any) -> str:
    """The token goes only to Meta over HTTPS, or to the Graph API's own host (a
    local stand-in in development)."""
    if not isinstance(url, str) or not url:
        raise Failed("the Graph API answered without the media's URL", retryable=False)
    graph = urlsplit(settings.WHATSAPP_API_BASE_URL)
    target = urlsplit(url)
    if target.scheme != "https" and (target.scheme, target.netloc) != (graph.scheme, graph.netloc):
        raise Failed("the media's URL is not HTTPS", retryable=False)
    return url


def _download(http: httpx.Client, url: str, kind: str) -> bytes:
    limit = settings.WHATSAPP_MEDIA_MAX_BYTES
    with http.stream("GET", url) as response:
        _raise_for(response)
        announced = _essence(response.headers.get("content-type", ""))
        if announced and announced != "application/octet-stream":
            _check_type(kind, announced)
        _check_size(response.headers.get("content-length"), "announced")
        chunks, read = [], 0
        for chunk in response.iter_bytes():
            read += len(chunk)
            if read > limit:
                raise Refused(f"the file is larger than the limit of {limit} bytes")
            chunks.append(chunk)
    return b"".join(chunks)


def _raise_for(response: httpx.Response) -> None:
    status = response.status_code
    if status < 400:
        return
    if status == 429 or status >= 500:
        raise Failed(f"the Graph API answered HTTP {status}", retryable=True)
    if status in (401, 403):
        raise Failed(f"the number's access token was refused (HTTP {status})", retryable=False)
    raise Failed(f"the media is no longer available from WhatsApp (HTTP {status})", retryable=False)


def _check_size(size: Any, how: str) -> None:
    limit = settings.WHATSAPP_MEDIA_MAX_BYTES
    try:
        size = int(size)
    except (TypeError, ValueError):
        return  # not said: the bytes read decide
    if size > limit:
        raise Refused(f"the file is larger than the limit of {limit} bytes ({how} {size})")


def _check_type(kind: str, mime_type: str) -> None:
    allowed = settings.WHATSAPP_MEDIA_ALLOWED_TYPES.get(kind, ())
    if mime_type not in allowed:
        raise Refused(f"{mime_type or 'an unnamed type'} is not allowed for {kind}")


def _essence(mime_type: str) -> str:
    """"audio/ogg; codecs=opus" → "audio/ogg"."""
    return str(mime_type).split(";", 1)[0].strip().lower()


_OLE, _ZIP = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",), (b"PK\x03\x04",)
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "application/pdf": (b"%PDF-",),
    "audio/ogg": (b"OggS",),
    "audio/amr": (b"#!AMR",),
    "audio/mpeg": (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"),
    "application/msword": _OLE, "application/vnd.ms-excel": _OLE, "application/vnd.ms-powerpoint": _OLE,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": _ZIP,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": _ZIP,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": _ZIP,
}
_ISO_MEDIA = {"video/mp4", "video/3gpp", "audio/mp4"}  # "....ftyp"


def looks_like(mime_type: str, content: bytes) -> bool:
    """Whether the file's first bytes are those of its type, for the types that
    have a signature; an HTML page or a program sent as a JPEG is not."""
    if mime_type == "image/webp":
        return content[:4] == b"RIFF" and content[8:12] == b"WEBP"
    if mime_type in _ISO_MEDIA:
        return content[4:8] == b"ftyp"
    if mime_type == "text/plain":
        return b"\x00" not in content[:4096]
    signatures = SIGNATURES.get(mime_type)
    return signatures is None or content.startswith(signatures)


# --- For the agent's turn ------------------------------------------------------

def media_of(message: InboundMessage) -> MessageMedia | None:
    """The message's media, read only for a media or location message: a text
    message's turn costs no query here."""
    if message.message_type not in MEDIA_KINDS:
        return None
    return MessageMedia.objects.with_scope(tenant=message.tenant_id).filter(inbound_id=message.pk).first()


def transcribe_before_turn(inbound_id: int) -> None:
    """With transcription on, a voice note's words, stored in `transcript` before
    the turn locks its message: the agent then answers them like typed text.
    Nothing when transcription is off (no query), for other messages, or when it
    fails: the turn then asks the guest to write."""
    if not transcription.is_enabled():
        return
    media = (MessageMedia.objects.with_scopes_disabled().select_related("inbound")
             .filter(inbound_id=inbound_id, kind=Kind.AUDIO, transcript="")
             .exclude(inbound__status=InboundMessage.Status.PROCESSED).first())
    if media is None:
        return
    if media.status in DOWNLOADABLE:
        media_download(media_pk=media.pk)
        media.refresh_from_db()
    if media.status != Status.DOWNLOADED:
        return
    with media.file.open("rb") as audio:
        content = audio.read()
    text = transcription.transcribe(content, filename=media.file.name.rsplit("/", 1)[-1],
                                    mime_type=media.mime_type)
    if text:
        MessageMedia.objects.with_scopes_disabled().filter(pk=media.pk, transcript="").update(transcript=text)


# --- For staff -------------------------------------------------------------------

def downloaded_media(*, conversation, media_pk: int | str) -> MessageMedia | None:
    """A downloaded file of one of the conversation's messages (None for an id
    that is not one): the caller has already found the conversation among the
    hotels the user may see."""
    if not str(media_pk).isdigit():
        return None
    return MessageMedia.objects.with_scope(tenant=conversation.tenant_id).filter(
        pk=media_pk, inbound__conversation=conversation, status=Status.DOWNLOADED).exclude(file="").first()


@receiver(post_delete, sender=MessageMedia, dispatch_uid="webhooks.media.file_with_its_row")
def _delete_file_with_its_row(sender, instance: MessageMedia, using: str, **kwargs) -> None:
    """Once the deletion commits: a rolled-back one keeps the row, so the file too."""
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(partial(_delete_stored, storage, name), using=using)


def _delete_stored(storage, name: str) -> None:
    try:
        storage.delete(name)
    except OSError:  # the row is gone either way; the file is an operator's to remove
        logger.warning("could not delete the stored media file %s", name, exc_info=True)
