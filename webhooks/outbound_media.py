"""An image or a document sent with a message, by link or by a media id
already uploaded to Meta (OutboundMessage.media), and its Graph API object.

WhatsApp sends media only within the 24-hour window (a template would need a
media header approved with it), and fetches a link itself: it must be a public
https URL. The kind follows the link's extension — .pdf and office files go as
documents, with their file name; pictures as images — and anything else is
refused before it is stored, not by Meta after.
"""
import posixpath
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
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
