"""A guest's voice note in words, from an OpenAI-compatible speech-to-text API.

Off unless AGENT_TRANSCRIPTION_BASE_URL names the API's base (…/v1): the audio
is POSTed as multipart (`file`, `model`) to `<base>/audio/transcriptions` and
the answer's `text` is the transcript. With AGENT_TRANSCRIPTION_API_KEY set it
goes as a bearer token; a local server needs none. A server that is slow, down
or answering nonsense costs one WARNING and a `None`, and the guest is asked to
write instead. Neither the audio nor the words reach a log.
"""
import logging

import httpx
from django.conf import settings

from security.validation import sanitize_text

logger = logging.getLogger(__name__)

MAX_TRANSCRIPT_LENGTH = 4096  # what a typed WhatsApp message may hold


def is_enabled() -> bool:
    return bool(settings.AGENT_TRANSCRIPTION_BASE_URL.strip())


def transcribe(content: bytes, *, filename: str, mime_type: str) -> str | None:
    """The words in the audio, or None when transcription is off or failed."""
    if not is_enabled():
        return None
    try:
        response = httpx.post(
            settings.AGENT_TRANSCRIPTION_BASE_URL.strip().rstrip("/") + "/audio/transcriptions",
            files={"file": (filename, content, mime_type or "application/octet-stream")},
            data={"model": settings.AGENT_TRANSCRIPTION_MODEL},
            headers=_headers(),
            timeout=httpx.Timeout(settings.AGENT_TRANSCRIPTION_TIMEOUT_SECONDS, connect=2.0),
        )
        response.raise_for_status()
        text = response.json().get("text")
    except httpx.TimeoutException:
        logger.warning("transcription timed out")
        return None
    except (httpx.HTTPError, ValueError, AttributeError) as error:
        logger.warning("transcription failed (%s)", _described(error))
        return None
    if not isinstance(text, str):
        logger.warning("transcription answered without text")
        return None
    return sanitize_text(text[: MAX_TRANSCRIPT_LENGTH * 2], max_length=MAX_TRANSCRIPT_LENGTH * 2
                         )[:MAX_TRANSCRIPT_LENGTH] or None


def _headers() -> dict[str, str]:
    key = settings.AGENT_TRANSCRIPTION_API_KEY.strip()
    return {"Authorization": f"Bearer {key}"} if key else {}


def _described(error: Exception) -> str:
    if isinstance(error, httpx.HTTPStatusError):
        return f"HTTP {error.response.status_code}"
    return type(error).__name__
