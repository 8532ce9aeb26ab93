from .base import BookedStay, NightOffer, PMSAdapter
from .registry import get_adapter

__all__ = ["BookedStay", "NightOffer", "PMSAdapter", "get_adapter"]
