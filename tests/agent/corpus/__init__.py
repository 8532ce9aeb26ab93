"""A yardstick for the guest agent: realistic WhatsApp conversations in Spanish and
English, written without looking at how the agent parses them."""
from .conversations_en import CONVERSATIONS as EN
from .conversations_es import CONVERSATIONS as ES

CONVERSATIONS = ES + EN
CATEGORIES = (
    "booking_happy", "corrections", "party_size", "dates", "inline_contact", "room_choice", "room_questions",
    "answer_first", "hotel_facts", "loops", "handoff", "language", "existing_reservation", "late_checkout",
    "single_question",
)
