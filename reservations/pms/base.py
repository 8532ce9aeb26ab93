"""The seam between the booking rules and wherever rooms really live.

The database adapter is the default; an external property-management system
(QloApps…) plugs in per tenant behind the same five calls, so the rules in the
services never change with the backend.
"""
import datetime
from abc import ABC, abstractmethod
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple


class NightOffer(NamedTuple):
    """A tuple, not a frozen dataclass: a 60-night answer makes one per room
    type and night, and a tuple is made in a third of the time."""

    date: datetime.date
    rooms_free: int
    rate: Decimal


@dataclass(frozen=True)
class BookedStay:
    nightly_rates: list[Decimal]
    external_reference: str = ""


class PMSAdapter(ABC):
    # An adapter whose rooms live outside our database: each successful read is
    # kept as the last known copy to answer from while the PMS is unavailable.
    keeps_snapshots = False

    @abstractmethod
    def check_availability(
        self, *, tenant, room_types, check_in: datetime.date, check_out: datetime.date,
        guests: int | None = None,
    ) -> dict[int, list[NightOffer]]:
        """Nights known for each room type id, in date order; a missing night means no room.
        Raises PMSUnavailable when the PMS cannot answer."""

    @abstractmethod
    def get_rates(
        self, *, tenant, room_type, check_in: datetime.date, check_out: datetime.date
    ) -> list[Decimal]:
        """The rate of each night of the stay."""

    @abstractmethod
    def create_reservation(
        self, *, tenant, room_type, check_in: datetime.date, check_out: datetime.date,
        booking=None, client_reference: str = "",
    ) -> BookedStay:
        """Take one room for every night or raise Unavailable. Runs inside the
        caller's transaction, which also stores the Reservation row. `booking` is
        the cleaned request (guest details); `client_reference` identifies this
        booking across retries so an external PMS never makes it twice."""

    @abstractmethod
    def cancel_reservation(self, *, reservation) -> None:
        """Give the reservation's rooms back."""

    def release_from(self, *, reservation, day: datetime.date) -> None:
        """Give back the reservation's rooms from `day` on: a no-show, whose guest
        is not coming. The default, for PMSs that cancel a booking only whole,
        cancels it there; the nights before `day` are past and sell to no one."""
        self.cancel_reservation(reservation=reservation)

    @abstractmethod
    def get_reservation(self, *, tenant, code: str):
        """The reservation with this public code, or None."""

    def change_reservation(
        self, *, reservation, room_type, check_in: datetime.date, check_out: datetime.date,
        booking=None, client_reference: str = "",
    ) -> BookedStay:
        """Move `reservation` (still showing its old room type and dates) to these
        nights, or raise Unavailable with the old nights kept. Runs inside the
        caller's transaction.

        The default, for PMSs without a "modify booking" call (QloApps), books the
        new stay first and cancels the old one only once that worked: a refusal
        leaves the guest's room as it was. The price is that a move overlapping the
        old nights needs a second room on those nights at the PMS; the database
        adapter moves the nights in place instead."""
        stay = self.create_reservation(
            tenant=reservation.tenant, room_type=room_type, check_in=check_in, check_out=check_out,
            booking=booking, client_reference=client_reference,
        )
        self.cancel_reservation(reservation=reservation)
        return stay
