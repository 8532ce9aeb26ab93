"""QloApps as a hotel's PMS, through its webservice API.

What this relies on, read from QloApps' own source (github.com/Qloapps/QloApps,
1.6.x/1.7.x): classes/webservice/WebserviceRequest.php,
classes/webservice/WebserviceSpecificManagementBookings.php,
modules/hotelreservationsystem/classes/WebserviceSpecificManagementHotelAri.php,
modules/hotelreservationsystem/classes/HotelRoomType.php and the module's
hookAddWebserviceResources):

- Endpoint `<shop>/api/<resource>`. The webservice key is the HTTP Basic user
  with an empty password (PrestaShop's scheme). `?output_format=JSON` selects the
  JSON renderer (the `Io-Format`/`Output-Format` headers would too). Errors come
  back as `{"errors": [{"code": …, "message": "…"}]}` with a 4xx/5xx status.
- `POST /api/hotel_ari` is a read: the body is XML, `<qloapps><hotel_ari>` with
  id_hotel, date_from, date_to (YYYY-MM-DD), optional id_room_type,
  get_available_rooms, date_wise_breakdown and
  associations/room_occupancies/room_occupancy/{adults,children}. With
  date_wise_breakdown=1 the JSON answer is `{"hotel_aris": [one per night:
  {id_hotel, date_from, date_to, currency, total_rooms, total_available_rooms,
  room_types: [{id_room_type, base_price, base_price_with_tax, total_price,
  total_price_with_tax, name, rooms: {available: {<id_room>: {id_room,
  room_num}}}}]}]}`; `room_types` is missing when nothing is bookable and an
  empty `available` is `[]`. A night's price is taken as `total_price_with_tax`
  (the guest pays taxes included; one occupancy is sent, so it is one room).
- `POST /api/bookings` takes JSON `{"booking": {id_property, currency,
  booking_status (1 new, 3 cancelled), payment_status (3 awaiting), source,
  remark, associations: {customer_detail: {firstname, lastname, email, phone},
  room_types: [{id_room_type, checkin_date, checkout_date, number_of_rooms,
  rooms: [{adults, child}]}]}}}` and answers with the booking as `GET
  /api/bookings/<id>` shows it: `{"booking": {id, id_property, currency, source,
  booking_date, associations: {customer_detail, price_details, remarks: [...],
  room_types: [{id_room_type, checkin_date, checkout_date, number_of_rooms,
  rooms: [{id_room, unit_price_without_tax (the stay, not a night), total_tax}]}]}}}`.
  A room that is not free is a 400 "Requested room(s) not available.".
- Cancelling is `PUT /api/bookings/<id>` with the booking as read plus
  booking_status 3: a PUT replaces the room list, so the rooms are sent back as read.
- The bookings list has no filters upstream ("@todo: add filters"), so a booking is
  found again through the standard filters of the class resources:
  `GET /api/customers?filter[email]=[…]&display=[id]`, then
  `GET /api/orders?filter[id_customer]=[…]&display=[id]&sort=[id_DESC]`, then the
  bookings' `remarks`, where every booking we make carries `hotelagent-ref:<uuid>`.
- `GET /api/hotel_room_types?display=full&filter[id_hotel]=[…]` lists the hotel's
  room types (id_product, id_hotel, adults, children, max_adults, max_children,
  max_guests). Our RoomType.pms_room_type_id is QloApps' id_product, the
  `id_room_type` of hotel_ari and bookings.

Every call has the tenant's connect/read timeouts and goes through this process's
bulkhead for the hotel and the shared circuit breaker of its endpoint. Reads are
retried with exponential backoff and full jitter; a booking is never retried
blindly: it carries a client reference, and when an earlier attempt with the same
reference may have reached QloApps, the booking is looked up before a new one is made.
"""
import datetime
import logging
import random
import time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from xml.sax.saxutils import escape

import httpx
from django.conf import settings
from django.core.cache import cache

from .. import metrics
from ..errors import Unavailable
from ..models import Reservation
from .base import BookedStay, NightOffer, PMSAdapter
from .breaker import State, breaker_for
from .bulkhead import bulkhead_for, count_rejection
from .credentials import webservice_key
from .errors import BulkheadFull, CircuitOpen, PMSCallFailed, PMSNotConfigured, PMSRejected

logger = logging.getLogger(__name__)

BOOKING_STATUS_NEW = 1
BOOKING_STATUS_CANCELLED = 3
PAYMENT_STATUS_AWAITING = 3
SOURCE = "hotelagent"
REFERENCE_MARK = "hotelagent-ref:"
# Statuses that say the PMS (or our access to it) is broken, not that the request is wrong.
FAILURE_STATUSES = {401, 403, 408, 429}
CREATE_MARK_SECONDS = 7 * 24 * 60 * 60
CENT = Decimal("0.01")


class QloAppsRefusal(PMSRejected):
    """A 4xx answer: QloApps understood the call and said no."""

    def __init__(self, status: int, messages: list[str]):
        super().__init__(f"HTTP {status}: {'; '.join(messages) or 'no message'}")
        self.status = status
        self.messages = messages

    def says(self, words: str) -> bool:
        return any(words in message.lower() for message in self.messages)


def _error_messages(body) -> list[str]:
    try:
        return [str(error.get("message", ""))[:300] for error in body["errors"]]
    except (KeyError, TypeError, AttributeError):
        return []


def _backoff(attempt: int) -> float:
    """Full jitter: uniform in [0, base·2^(attempt-1)]."""
    return random.uniform(0, settings.PMS_RETRY_BASE_DELAY * 2 ** (attempt - 1))


class QloAppsClient:
    """HTTP to one hotel's QloApps. `sleep` is replaceable so tests never wait."""

    sleep = staticmethod(time.sleep)

    def __init__(self, tenant):
        self.tenant = tenant
        key = webservice_key(tenant)
        if not (tenant.pms_base_url and tenant.pms_hotel_id and key):
            raise PMSNotConfigured(f"{tenant.slug}: QloApps URL, hotel id or webservice key missing")
        self.http = httpx.Client(
            base_url=tenant.pms_base_url.rstrip("/") + "/api/",
            auth=(key, ""),
            timeout=httpx.Timeout(tenant.pms_read_timeout, connect=tenant.pms_connect_timeout),
            headers={"Accept": "application/json"},
        )

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.http.close()

    @property
    def hotel_id(self) -> str:
        return self.tenant.pms_hotel_id

    def get(self, path: str, *, endpoint: str, params: dict | None = None):
        return self.request("GET", path, endpoint=endpoint, idempotent=True, params=params)

    def request(self, method: str, path: str, *, endpoint: str, idempotent: bool, **kwargs):
        """The decoded JSON answer. Idempotent calls are retried on failure;
        CircuitOpen and BulkheadFull never are: they are the answer."""
        attempts = max(1, settings.PMS_READ_ATTEMPTS) if idempotent else 1
        for attempt in range(1, attempts + 1):
            try:
                return self._once(method, path, endpoint, **kwargs)
            except PMSCallFailed as error:
                if attempt == attempts:
                    raise
                logger.info("QloApps %s %s attempt %d failed (%s), retrying", method, path, attempt, error)
                self.sleep(_backoff(attempt))
        raise AssertionError("unreachable")

    def _once(self, method: str, path: str, endpoint: str, **kwargs):
        breaker = breaker_for(self.tenant, endpoint)
        outcome = "ok"
        try:
            if breaker.state == State.OPEN:  # refuse before queueing for a slot
                raise CircuitOpen(f"{breaker!r} is open", retry_after=breaker.retry_after())
            with bulkhead_for(self.tenant).slot(
                max_wait=self.tenant.pms_connect_timeout + self.tenant.pms_read_timeout
            ):
                return breaker.call(self._send, method, path, **kwargs)
        except CircuitOpen:
            outcome = "circuit_open"
            raise
        except BulkheadFull:
            outcome = "bulkhead_full"
            count_rejection(self.tenant, endpoint)
            raise
        except PMSCallFailed:
            outcome = "failed"
            raise
        except PMSRejected:
            outcome = "rejected"
            raise
        finally:
            if outcome != "bulkhead_full":
                metrics.pms_calls.labels(tenant=self.tenant.slug, endpoint=endpoint, outcome=outcome).inc()

    def _send(self, method: str, path: str, *, params: dict | None = None, **kwargs):
        params = {**(params or {}), "output_format": "JSON"}
        try:
            response = self.http.request(method, path, params=params, **kwargs)
        except httpx.TimeoutException as error:
            raise PMSCallFailed(f"QloApps {method} {path} timed out: {type(error).__name__}") from error
        except httpx.HTTPError as error:  # refused, reset, dropped mid-answer…
            raise PMSCallFailed(f"QloApps {method} {path}: {type(error).__name__}: {error}") from error
        status = response.status_code
        try:
            body = response.json() if response.content.strip() else {}
        except ValueError:
            body = None
        if status >= 500 or status in FAILURE_STATUSES:
            raise PMSCallFailed(f"QloApps {method} {path}: HTTP {status} {_error_messages(body)}")
        if status >= 400:
            raise QloAppsRefusal(status, _error_messages(body))
        if body is None:
            raise PMSCallFailed(f"QloApps {method} {path}: HTTP {status} with a body that is not JSON")
        return body


# --- reading the answers ------------------------------------------------------

def _records(body, name: str) -> list[dict]:
    """A resource list: `{"customers": [...]}`, or `[]` when there is none."""
    if body in ([], {}, None):
        return []
    records = body.get(name) if isinstance(body, dict) else None
    if records is None:
        return []
    if not isinstance(records, list) or not all(isinstance(record, dict) for record in records):
        raise PMSCallFailed(f"QloApps {name}: unexpected answer")
    return records


def _money(value) -> Decimal:
    amount = Decimal(str(value))
    if not amount.is_finite() or amount < 0:
        raise InvalidOperation(value)
    return amount


def _nights(body, mapped: dict[str, object], check_in, check_out) -> dict[int, list[NightOffer]]:
    """NightOffers per RoomType id from a date-wise hotel_ari answer."""
    offers: dict[int, list[NightOffer]] = {room_type.id: [] for room_type in mapped.values()}
    try:
        nights = body["hotel_aris"] if "hotel_aris" in body else [body["hotel_ari"]]
        for night in nights:
            day = datetime.date.fromisoformat(str(night["date_from"])[:10])
            if not check_in <= day < check_out:
                continue
            for entry in night.get("room_types") or []:
                room_type = mapped.get(str(entry["id_room_type"]))
                if room_type is None:
                    continue
                available = (entry.get("rooms") or {}).get("available") or []
                offers[room_type.id].append(
                    NightOffer(day, len(available), _money(entry["total_price_with_tax"]))
                )
    except (KeyError, TypeError, ValueError, AttributeError, InvalidOperation) as error:
        raise PMSCallFailed(f"QloApps hotel_ari: unexpected answer ({type(error).__name__})") from error
    for nights_of_type in offers.values():
        nights_of_type.sort(key=lambda offer: offer.date)
    return offers


def _stay_total(booking: dict) -> Decimal:
    """What the guest pays for the booking, taxes included."""
    try:
        rooms = [room for room_type in booking["associations"]["room_types"] for room in room_type["rooms"]]
        return sum((_money(room["unit_price_without_tax"]) + _money(room.get("total_tax") or 0)
                    for room in rooms), Decimal("0"))
    except (KeyError, TypeError, ValueError, InvalidOperation) as error:
        raise PMSCallFailed(f"QloApps booking: unexpected answer ({type(error).__name__})") from error


def _nightly_rates(booking: dict, quoted: list[Decimal] | None, nights: int) -> list[Decimal]:
    """The quoted nightly rates when the booking's total agrees with them; else the
    booked total spread evenly (QloApps does not break a booking down by night)."""
    total = _stay_total(booking)
    if quoted and abs(sum(quoted) - total) <= CENT * nights:
        return quoted
    if total <= 0 and quoted:
        return quoted
    each = (total / nights).quantize(CENT, rounding=ROUND_HALF_UP)
    return [total - each * (nights - 1)] + [each] * (nights - 1)


def _has_reference(booking: dict, reference: str) -> bool:
    remarks = (booking.get("associations") or {}).get("remarks") or []
    if isinstance(remarks, dict):  # XML-ish {"remark": ...} shape
        remarks = remarks.get("remark") or []
    if isinstance(remarks, str):
        remarks = [remarks]
    return any(f"{REFERENCE_MARK}{reference}" in str(remark) for remark in remarks)


def _ari_request(hotel_id: str, check_in, check_out, *, guests: int | None, pms_room_type: str | None) -> str:
    parts = [
        f"<id_hotel>{escape(str(hotel_id))}</id_hotel>",
        f"<date_from>{check_in.isoformat()}</date_from>",
        f"<date_to>{check_out.isoformat()}</date_to>",
        "<get_available_rooms>1</get_available_rooms>",
        "<date_wise_breakdown>1</date_wise_breakdown>",
    ]
    if pms_room_type:
        parts.insert(1, f"<id_room_type>{escape(pms_room_type)}</id_room_type>")
    if guests:
        parts.append(
            "<associations><room_occupancies><room_occupancy>"
            f"<adults>{int(guests)}</adults><children>0</children>"
            "</room_occupancy></room_occupancies></associations>"
        )
    body = "".join(parts)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<qloapps><hotel_ari>{body}</hotel_ari></qloapps>'


# --- recognising a retried booking ---------------------------------------------

def _mark_key(tenant, reference: str) -> str:
    return f"pms-create:{tenant.pk}:{reference}"


def mark_create_attempted(tenant, reference: str) -> None:
    """Remember that a booking with this reference may have reached QloApps."""
    try:
        cache.set(_mark_key(tenant, reference), 1, CREATE_MARK_SECONDS)
    except Exception:  # without the mark the lookup is merely skipped by a fresh process
        logger.warning("could not remember QloApps create attempt %s", reference, exc_info=True)


def create_was_attempted(tenant, reference: str) -> bool:
    try:
        return bool(cache.get(_mark_key(tenant, reference)))
    except Exception:  # unsure: look it up, that is only a few reads
        return True


# --- the adapter ----------------------------------------------------------------

class QloAppsPMSAdapter(PMSAdapter):
    # change_reservation is PMSAdapter's: the webservice has no "modify booking",
    # so a moved stay is a new QloApps booking (made first) and the old one
    # cancelled once it exists. A move overlapping its own nights at a full hotel
    # is refused there, where the database adapter would allow it.
    keeps_snapshots = True
    client_class = QloAppsClient

    def _mapped(self, room_types) -> dict[str, object]:
        return {str(rt.pms_room_type_id).strip(): rt for rt in room_types if str(rt.pms_room_type_id).strip()}

    def _ari(self, client, mapped, check_in, check_out, guests):
        only = next(iter(mapped)) if len(mapped) == 1 else None
        body = client.request(
            "POST", "hotel_ari", endpoint="hotel_ari", idempotent=True,
            content=_ari_request(client.hotel_id, check_in, check_out, guests=guests, pms_room_type=only),
            headers={"Content-Type": "application/xml"},
        )
        if not isinstance(body, dict):
            raise PMSCallFailed("QloApps hotel_ari: unexpected answer")
        return _nights(body, mapped, check_in, check_out)

    def check_availability(self, *, tenant, room_types, check_in, check_out, guests=None):
        mapped = self._mapped(room_types)
        if len(mapped) < len(room_types):
            logger.warning("%s: room types without a QloApps id are not offered: %s", tenant.slug,
                           [rt.code for rt in room_types if not str(rt.pms_room_type_id).strip()])
        if not mapped:
            return {}
        with self.client_class(tenant) as client:
            return self._ari(client, mapped, check_in, check_out, guests)

    def get_rates(self, *, tenant, room_type, check_in, check_out):
        offers = self.check_availability(
            tenant=tenant, room_types=[room_type], check_in=check_in, check_out=check_out
        ).get(room_type.id, [])
        if len(offers) != (check_out - check_in).days:
            raise Unavailable(f"QloApps lacks a {room_type.code} rate for a night of {check_in}–{check_out}.")
        return [offer.rate for offer in offers]

    def create_reservation(
        self, *, tenant, room_type, check_in, check_out, booking=None, client_reference=""
    ):
        pms_id = str(room_type.pms_room_type_id).strip()
        if not pms_id:
            raise PMSRejected(f"{tenant.slug}: room type {room_type.code} has no QloApps id")
        if booking is None:
            raise ValueError("A QloApps booking needs the guest's details.")
        nights = (check_out - check_in).days
        with self.client_class(tenant) as client:
            if client_reference and create_was_attempted(tenant, client_reference):
                existing = self.find_booking(client, email=booking.guest_email, reference=client_reference)
                if existing is not None:
                    logger.info("%s: QloApps booking %s already made for %s", tenant.slug,
                                existing.get("id"), client_reference)
                    return BookedStay(_nightly_rates(existing, None, nights), str(existing["id"]))
            offers = self._ari(client, {pms_id: room_type}, check_in, check_out, booking.guests)[room_type.id]
            if len(offers) != nights or any(offer.rooms_free < 1 for offer in offers):
                raise Unavailable(f"QloApps: no {room_type.code} for every night of {check_in}–{check_out}.")
            if client_reference:
                mark_create_attempted(tenant, client_reference)
            try:
                body = client.request(
                    "POST", "bookings", endpoint="bookings", idempotent=False,
                    json={"booking": self._booking_body(tenant, pms_id, check_in, check_out, booking,
                                                        client_reference)},
                )
            except QloAppsRefusal as refusal:
                if refusal.says("not available"):
                    raise Unavailable(f"QloApps: {refusal}") from refusal
                raise
        created = body.get("booking") if isinstance(body, dict) else None
        if not isinstance(created, dict) or not created.get("id"):
            raise PMSCallFailed("QloApps bookings: the answer names no booking")
        rates = _nightly_rates(created, [offer.rate for offer in offers], nights)
        return BookedStay(rates, str(created["id"]))

    def _booking_body(self, tenant, pms_id, check_in, check_out, booking, reference) -> dict:
        first, _, last = booking.guest_name.strip().partition(" ")
        remark = " ".join(filter(None, [f"{REFERENCE_MARK}{reference}" if reference else "",
                                        booking.special_requests]))
        return {
            "id_property": int(tenant.pms_hotel_id),
            "currency": tenant.currency,
            "booking_status": BOOKING_STATUS_NEW,
            "payment_status": PAYMENT_STATUS_AWAITING,
            "source": SOURCE,
            "remark": remark,
            "associations": {
                "customer_detail": {
                    "firstname": first, "lastname": last.strip() or first,
                    "email": booking.guest_email, "phone": booking.guest_phone,
                },
                "room_types": [{
                    "id_room_type": int(pms_id) if pms_id.isdigit() else pms_id,
                    "checkin_date": check_in.isoformat(), "checkout_date": check_out.isoformat(),
                    "number_of_rooms": 1, "rooms": [{"adults": booking.guests, "child": 0}],
                }],
            },
        }

    def find_booking(self, client, *, email: str, reference: str) -> dict | None:
        """The QloApps booking made with this client reference, if any."""
        customers = client.get("customers", endpoint="bookings",
                               params={"filter[email]": f"[{email}]", "display": "[id]"})
        for customer in _records(customers, "customers"):
            orders = client.get("orders", endpoint="bookings", params={
                "filter[id_customer]": f"[{customer.get('id')}]", "display": "[id]", "sort": "[id_DESC]",
                "limit": "10",
            })
            for order in _records(orders, "orders"):
                body = client.get(f"bookings/{order.get('id')}", endpoint="bookings")
                booking = body.get("booking") if isinstance(body, dict) else None
                if isinstance(booking, dict) and _has_reference(booking, reference):
                    return booking
        return None

    def cancel_reservation(self, *, reservation):
        booking_id = reservation.external_reference
        if not booking_id:
            return
        with self.client_class(reservation.tenant) as client:
            try:
                current = client.get(f"bookings/{booking_id}", endpoint="bookings")
            except QloAppsRefusal as refusal:
                if refusal.status == 404:
                    logger.warning("QloApps booking %s is gone; cancelling ours only", booking_id)
                    return
                raise
            booking = current.get("booking") if isinstance(current, dict) else None
            if not isinstance(booking, dict):
                raise PMSCallFailed(f"QloApps bookings/{booking_id}: unexpected answer")
            client.request("PUT", f"bookings/{booking_id}", endpoint="bookings", idempotent=False,
                           json={"booking": {**booking, "booking_status": BOOKING_STATUS_CANCELLED}})

    def get_reservation(self, *, tenant, code):
        # Every QloApps booking made here is mirrored by a Reservation row.
        return (
            Reservation.objects.with_scope(tenant=tenant).select_related("room_type").filter(code=code).first()
        )

    def list_room_types(self, *, tenant) -> list[dict]:
        """The hotel's room types as QloApps knows them (to fill pms_room_type_id)."""
        with self.client_class(tenant) as client:
            body = client.get("hotel_room_types", endpoint="hotel_room_types",
                              params={"display": "full", "filter[id_hotel]": f"[{tenant.pms_hotel_id}]"})
        return _records(body, "hotel_room_types")
