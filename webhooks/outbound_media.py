"""An image or a document sent with a message, by link or by a file staff
upload, and its Graph API object (OutboundMessage.media).

An uploaded file is kept in Django's storage; the sender uploads it to Meta
(`POST /<phone-number-id>/media`) just before sending and sends the media id
Meta returns, remembered on the row so a retry does not upload it twice.

WhatsApp sends media only within the 24-hour window (a template would need a
media header approved with it), and fetches a link itself: it must be a public
https URL. The kind follows the link's extension — .pdf and office files go as
documents, with their file name; pictures as images — and anything else is
refused before it is stored, not by Meta after.
"""
import posixpath
import uuid
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

IMAGE_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png"})  # what Meta accepts for image messages
DOCUMENT_EXTENSIONS = frozenset({".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".txt"})
MAX_CAPTION = 1024
MAX_FILENAME = 240


def media_for_link(url: str, *, caption: str = "") -> dict:
    """OutboundMessage.media for a link, or a ValidationError that says why not."""
    parts = urlsplit(url.strip())
    if parts.scheme != "https" or not parts.hostname:
        raise ValidationError(_("A public https link, e.g. https://example.com/room.jpg."), code="https")
    filename = posixpath.basename(unquote(parts.path))
    extension = posixpath.splitext(filename)[1].lower()
    if extension in IMAGE_EXTENSIONS:
        return {"type": "image", "link": url.strip(), "caption": caption[:MAX_CAPTION]}
    if extension in DOCUMENT_EXTENSIONS:
        return {"type": "document", "link": url.strip(), "caption": caption[:MAX_CAPTION],
                "filename": filename[:MAX_FILENAME]}
    raise ValidationError(
        _("A JPEG or PNG image, or a PDF or office document (by its file name in the link)."), code="kind")


def graph_media(media: dict) -> tuple[str, dict] | None:
    """("image", {"link": …, "caption": …}) for the message body, None for a
    stored value that is not a sendable medium."""
    if not isinstance(media, dict) or media.get("type") not in ("image", "document"):
        return None
    kind = media["type"]
    source = {"link": media["link"]} if isinstance(media.get("link"), str) and media["link"] else (
        {"id": media["id"]} if isinstance(media.get("id"), str) and media["id"] else None)
    if source is None:
        return None
    body = dict(source)
    if isinstance(media.get("caption"), str) and media["caption"].strip():
        body["caption"] = media["caption"][:MAX_CAPTION]
    if kind == "document" and isinstance(media.get("filename"), str) and media["filename"]:
        body["filename"] = media["filename"][:MAX_FILENAME]
    return kind, body


#: What staff may upload: Meta's image types and the documents guests open.
UPLOAD_TYPES = {
    ".jpg": ("image", "image/jpeg", b"\xff\xd8\xff"), ".jpeg": ("image", "image/jpeg", b"\xff\xd8\xff"),
    ".png": ("image", "image/png", b"\x89PNG\r\n\x1a\n"), ".pdf": ("document", "application/pdf", b"%PDF-"),
}
MAX_IMAGE_BYTES = 5 * 1024 * 1024  # Meta's limit for images


def media_for_upload(upload, *, caption: str = "") -> dict:
    """OutboundMessage.media for a file staff uploaded (kept in storage until it
    is sent), or a ValidationError: only JPEG, PNG and PDF whose first bytes
    match, images up to 5 MB and documents up to WHATSAPP_MEDIA_MAX_BYTES."""
    filename = get_valid_filename(posixpath.basename(upload.name or "")) or "file"
    extension = posixpath.splitext(filename)[1].lower()
    if extension not in UPLOAD_TYPES:
        raise ValidationError(_("A JPEG or PNG image, or a PDF."), code="kind")
    kind, mime_type, signature = UPLOAD_TYPES[extension]
    limit = MAX_IMAGE_BYTES if kind == "image" else settings.WHATSAPP_MEDIA_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(_("Too big: at most %(mb)d MB for this kind of file.") % {"mb": limit // 2**20},
                              code="size")
    head = upload.read(len(signature))
    upload.seek(0)
    if head != signature:
        message = _("The file is not the %(kind)s its name says.") % {"kind": extension[1:].upper()}
        raise ValidationError(message, code="content")
    name = default_storage.save(
        f"whatsapp-outbound/{timezone.now():%Y/%m}/{uuid.uuid4().hex}-{filename[-100:]}", upload)
    media = {"type": kind, "upload": name, "mime_type": mime_type, "caption": caption[:MAX_CAPTION]}
    if kind == "document":
        media["filename"] = filename[:MAX_FILENAME]
    return media


def needs_upload(media: object) -> bool:
    return isinstance(media, dict) and bool(media.get("upload")) and not media.get("id")
