"""Inventory kept in our own tables: NightlyInventory rows per room type and night.

Booking locks the stay's rows with SELECT … FOR UPDATE in date order (a fixed
order, so two bookings never deadlock), checks each night, then increments with a
conditional UPDATE whose row count is checked as well. The CHECK constraint
booked <= total backs both up.
"""
import datetime
from decimal import Decimal

from django.db.models import F

from ..errors import Unavailable
from ..models import NightlyInventory, Reservation
from .base import BookedStay, NightOffer, PMSAdapter


def _nights(tenant, room_type, check_in, check_out):
    return NightlyInventory.objects.with_scope(tenant=tenant).filter(
        room_type=room_type, date__gte=check_in, date__lt=check_out
    )


def _rate(night: NightlyInventory, base_rate: Decimal) -> Decimal:
    return night.rate_override if night.rate_override is not None else base_rate


class DatabasePMSAdapter(PMSAdapter):
    def check_availability(self, *, tenant, room_types, check_in, check_out, guests=None):
        base_rates = {room_type.id: room_type.base_rate for room_type in room_types}
        offers: dict[int, list[NightOffer]] = {room_type_id: [] for room_type_id in base_rates}
        rows = (
            NightlyInventory.objects.with_scope(tenant=tenant)
            .filter(room_type_id__in=base_rates, date__gte=check_in, date__lt=check_out)
            .order_by("room_type_id", "date")
            .values_list("room_type_id", "date", "rooms_total", "rooms_booked", "rate_override", "closed")
        )
        for room_type_id, date, total, booked, override, closed in rows:
            rate = override if override is not None else base_rates[room_type_id]
            offers[room_type_id].append(NightOffer(date, 0 if closed else total - booked, rate))
        return offers

    def get_rates(self, *, tenant, room_type, check_in, check_out):
        nights = {
            night.date: _rate(night, room_type.base_rate)
            for night in _nights(tenant, room_type, check_in, check_out)
        }
        days = (check_out - check_in).days
        return [
            nights.get(check_in + datetime.timedelta(days=i), room_type.base_rate)
            for i in range(days)
        ]

    def create_reservation(
        self, *, tenant, room_type, check_in, check_out, booking=None, client_reference=""
    ):
        expected = (check_out - check_in).days
        nights = list(
            _nights(tenant, room_type, check_in, check_out)
            .select_for_update(of=("self",))
            .order_by("date")
        )
        if len(nights) != expected or any(night.closed or night.rooms_free < 1 for night in nights):
            raise Unavailable(f"No {room_type.code} room for every night of {check_in}–{check_out}.")
        updated = (
            NightlyInventory.objects.with_scopes_disabled()
            .filter(pk__in=[night.pk for night in nights], rooms_booked__lt=F("rooms_total"), closed=False)
            .update(rooms_booked=F("rooms_booked") + 1)
        )
        if updated != expected:
            raise Unavailable(f"A night of {check_in}–{check_out} filled up meanwhile.")
        return BookedStay([_rate(night, room_type.base_rate) for night in nights])

    def cancel_reservation(self, *, reservation):
        self.release_from(reservation=reservation, day=reservation.check_in)

    def release_from(self, *, reservation, day):
        """The nights before `day` stay counted: the stay's history (who held the
        room on which night) is what occupancy figures are made of."""
        nights = list(
            _nights(reservation.tenant, reservation.room_type_id,
                    max(day, reservation.check_in), reservation.check_out)
            .select_for_update(of=("self",))
            .order_by("date")
            .values_list("pk", flat=True)
        )
        NightlyInventory.objects.with_scopes_disabled().filter(
            pk__in=nights, rooms_booked__gt=0
        ).update(rooms_booked=F("rooms_booked") - 1)

    def get_reservation(self, *, tenant, code):
        return (
            Reservation.objects.with_scope(tenant=tenant)
            .select_related("room_type")
            .filter(code=code)
            .first()
        )

    def change_reservation(
        self, *, reservation, room_type, check_in, check_out, booking=None, client_reference=""
    ):
        """Moves the nights in place, all or nothing: the old and new nights are
        locked together in one SELECT … FOR UPDATE ordered by (room type, date),
        which keeps the order create and cancel use for one room type, so none of
        them can deadlock with a change. The old nights are given back and the new
        ones taken with two UPDATEs; a night kept by the move is never counted
        twice, nor refused because it is closed or full (it is the guest's already).
        Three queries whatever the number of nights."""
        old = {(reservation.room_type_id, day) for day in _days(reservation.check_in, reservation.check_out)}
        new = {(room_type.pk, day) for day in _days(check_in, check_out)}
        rows = list(
            NightlyInventory.objects.with_scope(tenant=reservation.tenant)
            .filter(room_type_id__in={reservation.room_type_id, room_type.pk},
                    date__gte=min(check_in, reservation.check_in),
                    date__lt=max(check_out, reservation.check_out))
            .select_for_update(of=("self",))
            .order_by("room_type_id", "date")
        )
        nights = {(night.room_type_id, night.date): night for night in rows}
        taken = [nights.get(key) for key in sorted(new - old)]
        if any(night is None or night.rooms_free < 1 or night.closed for night in taken):
            raise Unavailable(f"No {room_type.code} room for every night of {check_in}–{check_out}.")
        freed = [nights[key].pk for key in old - new if key in nights]
        NightlyInventory.objects.with_scopes_disabled().filter(pk__in=freed, rooms_booked__gt=0).update(
            rooms_booked=F("rooms_booked") - 1
        )
        updated = (
            NightlyInventory.objects.with_scopes_disabled()
            .filter(pk__in=[night.pk for night in taken], rooms_booked__lt=F("rooms_total"))
            .update(rooms_booked=F("rooms_booked") + 1)
        )
        if updated != len(taken):
            raise Unavailable(f"A night of {check_in}–{check_out} filled up meanwhile.")
        return BookedStay([_rate(nights[(room_type.pk, day)], room_type.base_rate)
                           for day in _days(check_in, check_out)])


def _days(check_in: datetime.date, check_out: datetime.date) -> list[datetime.date]:
    return [check_in + datetime.timedelta(days=i) for i in range((check_out - check_in).days)]
