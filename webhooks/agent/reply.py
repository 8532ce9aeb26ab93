"""A reply is text, and sometimes a choice the guest can tap or a picture.

`Reply` is a `str` (the text every channel can show: the choices as a numbered
list at the end), so code that stores or joins replies keeps working; WhatsApp's
sender reads `body` and `choices` to send the same thing as an interactive
message (reply buttons for up to three short choices, a list message otherwise).
A tap comes back with the choice's `id`; a typed "2" means the second choice.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Choice:
    id: str
    title: str
    description: str = ""


class Reply(str):
    body: str
    choices: tuple[Choice, ...]
    button: str  # the list message's button label ("Ver habitaciones")
    media: dict | None  # an image or document sent with it (OutboundMessage.media), its text the caption
    #: What the message is for and the values of its template (OutboundMessage.purpose and
    #: template_values): a booking's confirmation delayed past WhatsApp's window still goes,
    #: as the hotel's template for it.
    purpose: str
    template_values: dict

    def __new__(cls, body: str, choices: tuple[Choice, ...] | list[Choice] = (), *,
                button: str = "", media: dict | None = None) -> Reply:
        choices = tuple(choices)
        text = body
        if choices:
            numbered = "\n".join(
                f"{n}. {choice.title}" + (f" — {choice.description}" if choice.description else "")
                for n, choice in enumerate(choices, start=1)
            )
            text = f"{body}\n\n{numbered}"
        reply = super().__new__(cls, text)
        reply.body = body
        reply.choices = choices
        reply.button = button
        reply.media = media
        reply.purpose, reply.template_values = "", {}
        return reply

    def for_purpose(self, purpose: str, values: dict) -> Reply:
        """The same reply, marked as the message of `purpose` with its template's values."""
        self.purpose, self.template_values = purpose, values
        return self

    def as_interactive(self) -> dict | None:
        """What `OutboundMessage.interactive` stores: None for plain text."""
        if not self.choices:
            return None
        return {
            "body": self.body,
            "button": self.button,
            "choices": [
                {"id": c.id, "title": c.title, "description": c.description} for c in self.choices
            ],
        }
