"""Everything one message says that the agent can put into slots."""
import datetime
from dataclasses import dataclass

from .contact import extract_code, extract_email, extract_name, extract_phone, looks_like_email_attempt
from .dates import Stay, extract_stay
from .people import extract_guests
from .rooms import extract_room_type


@dataclass(frozen=True)
class Facts:
    """Everything one message says that the agent can put into slots."""

    stay: Stay
    guests: int | None
    room_type: str | None
    email: str | None
    bad_email: bool
    phone: str | None
    name: str | None
    code: str | None

    @property
    def has_booking_details(self) -> bool:
        return bool(self.stay or self.guests or self.room_type)


def extract_facts(text: str, today: datetime.date, language: str = "es") -> Facts:
    """All of the above for one message. The name is only taken when introduced
    ("me llamo…"); a bare name is read by the engine when it asked for one."""
    return Facts(
        stay=extract_stay(text, today, language),
        guests=extract_guests(text, language),
        room_type=extract_room_type(text, language),
        email=extract_email(text),
        bad_email=looks_like_email_attempt(text),
        phone=extract_phone(text),
        name=extract_name(text),
        code=extract_code(text),
    )
