"""The conversation agent: one guest message in, the replies out.

    respond(*, conversation, text, message_type="text", message_id="") -> list[str]
"""
from .engine import respond

__all__ = ["respond"]
