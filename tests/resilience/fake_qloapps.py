"""A stand-in for a hotel's QloApps on a real local socket.

It speaks the webservice shapes reservations/pms/qloapps.py documents (hotel_ari,
bookings, customers, orders, hotel_room_types; Basic auth with the key as user;
JSON errors as {"errors": [...]}), keeps its own rooms and bookings, and can be
told to misbehave: answer slowly, fail with a status, drop the connection, answer
garbage, or take a booking and answer too late. `stop()`/`start()` take it off
the network and back on the same port.
"""
import base64
import datetime
import itertools
import json
import threading
import time
import xml.etree.ElementTree as ET  # noqa: S405 - parses only what the tests' own client sends
from collections import deque
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

KEY = "QLOTESTKEY0123456789ABCDEFGHIJKL"


def _nights(date_from: str, date_to: str):
    day = datetime.date.fromisoformat(date_from[:10])
    end = datetime.date.fromisoformat(date_to[:10])
    while day < end:
        yield day
        day += datetime.timedelta(days=1)


class FakeQloApps:
    def __init__(self, *, hotel_id: int = 1, key: str = KEY, currency: str = "EUR"):
        self.hotel_id, self.key, self.currency = hotel_id, key, currency
        self.room_types: dict[int, dict] = {}
        self.bookings: dict[int, dict] = {}
        self.customers: dict[str, int] = {}
        self.requests: list[dict] = []
        self.delay = 0.0  # seconds before every answer
        self.behaviours: deque = deque()  # one-shot misbehaviours, first match wins
        self.in_flight = self.max_in_flight = 0
        self._ids = itertools.count(101)
        self._lock = threading.Lock()
        self._port = 0
        self.server = None

    # --- set-up ------------------------------------------------------------

    def add_room_type(self, id_product: int, name: str, *, rooms: int = 3, rate: str = "120.00",
                      max_guests: int = 2) -> None:
        self.room_types[id_product] = {
            "name": name, "rate": Decimal(rate), "max_guests": max_guests,
            "rooms": [id_product * 100 + n for n in range(1, rooms + 1)],
        }

    def misbehave(self, kind: str, *, path: str = "", times: int = 1, status: int = 500,
                  seconds: float = 0) -> None:
        """kind: "status" (answer `status`), "drop" (close without answering),
        "garbage" (200 that is not JSON), "slow" (wait `seconds`, then answer),
        "late" (do the work, then wait `seconds` before answering)."""
        for _ in range(times):
            self.behaviours.append({"kind": kind, "path": path, "status": status, "seconds": seconds})

    def paths(self, method: str | None = None) -> list[str]:
        return [r["path"] for r in self.requests if method is None or r["method"] == method]

    # --- state ---------------------------------------------------------------

    def booked(self, room_id: int, day: datetime.date) -> bool:
        return any(
            room_id in booking["room_ids"] and day in booking["nights"]
            for booking in self.bookings.values() if booking["status"] != 3
        )

    def free_rooms(self, id_product: int, day: datetime.date) -> list[int]:
        return [room for room in self.room_types[id_product]["rooms"] if not self.booked(room, day)]

    def live_bookings(self) -> list[dict]:
        return [booking for booking in self.bookings.values() if booking["status"] != 3]

    # --- the API ---------------------------------------------------------------

    def hotel_ari(self, body: bytes) -> tuple[int, dict]:
        ari = ET.fromstring(body).find("hotel_ari")  # noqa: S314 - our own client's XML
        if ari is None or ari.findtext("id_hotel") != str(self.hotel_id):
            return 400, {"errors": [{"code": 85, "message": "Validation error: Invalid request XML"}]}
        only = ari.findtext("id_room_type")
        adults = int(ari.findtext("associations/room_occupancies/room_occupancy/adults") or 1)
        nights = []
        for day in _nights(ari.findtext("date_from"), ari.findtext("date_to")):
            room_types = []
            for id_product, room_type in self.room_types.items():
                if (only and str(id_product) != only) or adults > room_type["max_guests"]:
                    continue
                free = self.free_rooms(id_product, day)
                price = room_type["rate"]
                room_types.append({
                    "id_room_type": id_product, "base_price": float(price / Decimal("1.1")),
                    "base_price_with_tax": float(price), "total_price": float(price / Decimal("1.1")),
                    "total_price_with_tax": float(price), "name": room_type["name"],
                    "rooms": {"available": {str(r): {"id_room": r, "room_num": f"R{r}"} for r in free}
                              if free else []},
                })
            night = {"id_hotel": str(self.hotel_id), "date_from": day.isoformat(),
                     "date_to": (day + datetime.timedelta(days=1)).isoformat(), "currency": self.currency}
            if room_types:
                night["room_types"] = room_types
            nights.append(night)
        return 200, {"hotel_aris": nights}

    def create_booking(self, body: bytes) -> tuple[int, dict]:
        booking = json.loads(body)["booking"]
        associations = booking["associations"]
        [room_type] = associations["room_types"]
        id_product = int(room_type["id_room_type"])
        nights = list(_nights(room_type["checkin_date"], room_type["checkout_date"]))
        if id_product not in self.room_types:
            return 400, {"errors": [{"code": 0, "message": "Requested room(s) not available."}]}
        free = set.intersection(*(set(self.free_rooms(id_product, day)) for day in nights))
        if not free:
            return 400, {"errors": [{"code": 0, "message": "Requested room(s) not available."}]}
        customer = associations["customer_detail"]
        customer_id = self.customers.setdefault(customer["email"], len(self.customers) + 1)
        booking_id = next(self._ids)
        rate = self.room_types[id_product]["rate"]
        self.bookings[booking_id] = {
            "id": booking_id, "status": booking.get("booking_status", 1), "customer_id": customer_id,
            "customer": customer, "remarks": [booking["remark"]] if booking.get("remark") else [],
            "id_product": id_product, "room_ids": [min(free)], "nights": nights,
            "checkin": room_type["checkin_date"], "checkout": room_type["checkout_date"],
            "total": rate * len(nights), "source": booking.get("source", ""),
        }
        return 201, self.booking_detail(booking_id)

    def booking_detail(self, booking_id: int) -> dict:
        booking = self.bookings[booking_id]
        total = booking["total"]
        without_tax = (total / Decimal("1.1")).quantize(Decimal("0.000001"))
        return {"booking": {
            "id": booking_id, "id_property": self.hotel_id, "currency": self.currency,
            "source": booking["source"], "booking_date": "2026-01-01 10:00:00", "id_language": 1,
            "associations": {
                "customer_detail": {"id_customer": booking["customer_id"], **booking["customer"]},
                "price_details": {"total_paid": 0, "total_price_without_tax": float(total / Decimal("1.1")),
                                  "total_tax": float(total - total / Decimal("1.1"))},
                "cart_rules": [], "remarks": booking["remarks"],
                "room_types": [{
                    "id_room_type": booking["id_product"], "checkin_date": booking["checkin"] + " 00:00:00",
                    "checkout_date": booking["checkout"] + " 00:00:00", "total_tax": 0, "number_of_rooms": 1,
                    "name": self.room_types[booking["id_product"]]["name"],
                    "rooms": [{"id_room": room, "id_hotel_booking": booking_id, "adults": 2, "child": 0,
                               "unit_price_without_tax": str(without_tax),
                               "total_tax": str(total - without_tax)}
                              for room in booking["room_ids"]],
                }],
            },
        }}

    def update_booking(self, booking_id: int, body: bytes) -> tuple[int, dict]:
        if booking_id not in self.bookings:
            return 404, {"errors": [{"code": 0, "message": "Booking not found"}]}
        booking = json.loads(body)["booking"]
        if int(booking.get("id", 0)) != booking_id or "associations" not in booking:
            return 400, {"errors": [{"code": 0, "message": "Invalid booking"}]}
        if booking.get("booking_status"):
            self.bookings[booking_id]["status"] = int(booking["booking_status"])
        return 200, self.booking_detail(booking_id)

    def route(self, method: str, path: str, query: dict, body: bytes) -> tuple[int, object]:
        if method == "POST" and path == "/api/hotel_ari":
            return self.hotel_ari(body)
        if method == "POST" and path == "/api/bookings":
            return self.create_booking(body)
        if path.startswith("/api/bookings/"):
            booking_id = int(path.rsplit("/", 1)[1])
            if method == "PUT":
                return self.update_booking(booking_id, body)
            if booking_id not in self.bookings:
                return 404, {"errors": [{"code": 0, "message": "Booking not found"}]}
            return 200, self.booking_detail(booking_id)
        if path == "/api/customers":
            email = query.get("filter[email]", "[]")[1:-1]
            found = self.customers.get(email)
            return 200, {"customers": [{"id": found}]} if found else []
        if path == "/api/orders":
            customer = int(query.get("filter[id_customer]", "[0]")[1:-1])
            ids = sorted((b["id"] for b in self.bookings.values() if b["customer_id"] == customer),
                         reverse=True)
            return 200, {"orders": [{"id": i} for i in ids]} if ids else []
        if path == "/api/hotel_room_types":
            return 200, {"hotel_room_types": [
                {"id": n, "id_product": id_product, "id_hotel": self.hotel_id, "adults": 2, "children": 0,
                 "max_adults": room_type["max_guests"], "max_children": 0,
                 "max_guests": room_type["max_guests"]}
                for n, (id_product, room_type) in enumerate(self.room_types.items(), start=1)
            ]}
        return 404, {"errors": [{"code": 26, "message": f"Resource of type \"{path}\" does not exists"}]}

    # --- the socket --------------------------------------------------------------

    def _behaviour(self, path: str) -> dict | None:
        with self._lock:
            for behaviour in self.behaviours:
                if path.startswith(behaviour["path"] or "/"):
                    self.behaviours.remove(behaviour)
                    return behaviour
        return None

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def handle_one(self, method):
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
                with fake._lock:
                    fake.in_flight += 1
                    fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
                    fake.requests.append({"method": method, "path": url.path, "query": query, "body": body,
                                          "authorization": self.headers.get("Authorization", "")})
                self.counted = True
                try:
                    self.answer(method, url.path, query, body)
                finally:
                    self.done()

            def done(self):
                """No longer in flight: called as the answer starts, so a client that has
                read it can never be seen still in flight by its next request."""
                if self.counted:
                    self.counted = False
                    with fake._lock:
                        fake.in_flight -= 1

            def answer(self, method, path, query, body):
                if fake.delay:
                    time.sleep(fake.delay)
                behaviour = fake._behaviour(path)
                kind = behaviour["kind"] if behaviour else ""
                if kind == "slow":
                    time.sleep(behaviour["seconds"])
                if kind == "drop":
                    self.close_connection = True
                    return
                expected = "Basic " + base64.b64encode(f"{fake.key}:".encode()).decode()
                if self.headers.get("Authorization") != expected:
                    return self.send(401, {"errors": [{"code": 17, "message": "Bad authentication key"}]})
                if query.get("output_format") != "JSON":
                    return self.send(400, {"errors": [{"code": 0, "message": "expected output_format=JSON"}]})
                if kind == "status":
                    return self.send(behaviour["status"], {"errors": [{"code": 0, "message": "scripted"}]})
                if kind == "garbage":
                    return self.send(200, b"<html><body>Fatal error: Allowed memory exhausted</body></html>")
                with fake._lock:
                    status, answer = fake.route(method, path, query, body)
                if kind == "late":
                    time.sleep(behaviour["seconds"])
                self.send(status, answer)

            def send(self, status, answer):
                payload = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
                self.done()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def do_GET(self):  # noqa: N802 - http.server's naming
                self.handle_one("GET")

            def do_POST(self):  # noqa: N802
                self.handle_one("POST")

            def do_PUT(self):  # noqa: N802
                self.handle_one("PUT")

            def log_message(self, *args):
                pass

        return Handler

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    def start(self) -> "FakeQloApps":
        self.server = ThreadingHTTPServer(("127.0.0.1", self._port), self._handler())
        self.server.daemon_threads = True
        self._port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        return self

    def stop(self) -> None:
        """Off the network: connections to its port are refused until start()."""
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
