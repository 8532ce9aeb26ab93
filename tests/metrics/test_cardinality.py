"""The series /metrics carries are bounded by the hotels and their room types,
never by guests, reservations or messages (README "Metrics and what Prometheus
scrapes"): after bookings, cancellations, chats, WhatsApp messages, ratings and an
open circuit for three hotels, each hotel has at most 13 R + 60 hotelagent_ series
(R: its room types), the product at most 250 more, and no label holds an id."""
import pytest
from django.test import Client
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from reservations.models import GuestRating
from reservations.pms.breaker import breaker_for
from security.api_keys import api_key_create
from security.tasks import verify_audit_chains
from tests.factories import ChannelAccountFactory, RoomTypeFactory, TenantFactory, stay
from tests.webhooks import payloads

from .conftest import scrape, series

pytestmark = pytest.mark.django_db

PER_ROOM_TYPE = 13  # created by source (5) + revenue by source (5) + occupancy windows (3)
PER_HOTEL = 60  # README: the hotel's series that do not grow with its room types
PRODUCT_WIDE = 250
LABELS = {
    "tenant", "room_type", "source", "currency", "reason", "endpoint", "outcome", "window", "channel",
    "type", "language", "chain", "resolution", "cache", "result", "le", "action", "task",
}
NUMBERS = [payloads.SOL_NUMBER_ID, payloads.HARBOR_NUMBER_ID, "100000000000003"]


def traffic(hotel, number: str, guest: str) -> list[str]:
    """A day at one hotel; returns the guest-, reservation- and message ids it produced."""
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key_create(tenant=hotel, name='metrics')[1]}")
    for code in ("standard", "suite"):
        RoomTypeFactory(tenant=hotel, code=code, room_count=5)
    ChannelAccountFactory(tenant=hotel, external_id=number)
    check_in, check_out = stay(tenant=hotel)
    booked = api.post("/api/v1/reservations/", {
        "check_in": check_in.isoformat(), "check_out": check_out.isoformat(), "room_type": "standard",
        "guest_name": "Ana García", "guest_email": f"ana.{hotel.slug}@example.com",
        "guest_phone": "+34 699 000 111", "guests": 2,
    }, format="json").json()
    api.post(f"/api/v1/reservations/{booked['code']}/cancel/", format="json")
    for text in ("Hola", "zorglub wibble", "Quiero hablar con una persona"):
        api.post("/api/v1/messages/", {"sender": f"visitor-{guest}", "text": text}, format="json")
    wamid = f"wamid.{guest}.1"
    delivery = payloads.delivery(payloads.change(number, sender=guest, messages=[
        payloads.text(wamid, "Hola", sender=guest), payloads.image(f"wamid.{guest}.2", sender=guest),
    ]))
    payloads.post(Client(), delivery)
    with scopes_disabled():
        GuestRating.objects.create(tenant=hotel, score=4, comment="")
    return [booked["code"], f"ana.{hotel.slug}@example.com", "34699000111", guest, wamid, f"visitor-{guest}"]


@pytest.fixture
def three_hotels(tenant, other_tenant, graph_api, django_capture_on_commit_callbacks):
    third = TenantFactory(slug="casa-azul")
    hotels = [tenant, other_tenant, third]
    with django_capture_on_commit_callbacks(execute=True):  # bookings are counted once committed
        ids = [i for n, hotel in enumerate(hotels) for i in traffic(hotel, NUMBERS[n], f"3461234567{n}")]
    third.pms_backend = "qloapps"  # and its QloApps is down
    third.save()
    breaker_for(third, "bookings", failure_threshold=1).record_failure()
    verify_audit_chains()
    return hotels, ids


def test_series_stay_under_the_bound_for_three_hotels(client, three_hotels):
    hotels, _ = three_hotels
    page = scrape(client)
    ours = [labels for name, labels, _ in series(page) if name.startswith("hotelagent_")]

    def of(hotel) -> list[dict]:
        return [labels for labels in ours
                if labels.get("tenant") == hotel.slug or labels.get("chain") == f"tenant:{hotel.pk}"]

    for hotel in hotels:
        assert len(of(hotel)) <= PER_ROOM_TYPE * 2 + PER_HOTEL, hotel.slug
    product_wide = [labels for labels in ours
                    if "tenant" not in labels and not labels.get("chain", "").startswith("tenant:")]
    assert len(product_wide) <= PRODUCT_WIDE
    print(f"\n{len(series(page))} series on /metrics; hotelagent_ ones: "
          + ", ".join(f"{hotel.slug} {len(of(hotel))}" for hotel in hotels)
          + f", product-wide {len(product_wide)}")


def test_no_label_names_a_guest_a_reservation_or_a_message(client, three_hotels):
    _, ids = three_hotels
    page = scrape(client)

    for name, labels, _ in series(page):
        if name.startswith("hotelagent_"):
            assert set(labels) <= LABELS, name
    for identifier in ids:
        assert identifier not in page
