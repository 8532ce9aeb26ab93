"""The front desk signs in and lands on today's dashboard of their hotel."""
import datetime
from decimal import Decimal

from django.utils import timezone
from django_scopes import scopes_disabled

from reservations.models import NightlyInventory, PendingBooking, Reservation
from tests.browser.conftest import sign_in
from tests.factories import ConversationFactory, RoomTypeFactory

DAY = datetime.timedelta(days=1)


def booked(room_type, name, *, starts, nights=2, status="confirmed", source="whatsapp", days_ago=0):
    tenant = room_type.tenant
    check_in = tenant.local_today() + starts * DAY
    rate = room_type.base_rate
    with scopes_disabled():
        reservation = Reservation.objects.create(
            tenant=tenant, room_type=room_type, guest_name=name, guest_email="guest@example.com",
            guest_phone="+34612345678", guests=2, check_in=check_in, check_out=check_in + nights * DAY,
            nights=nights, nightly_rates=[str(rate)] * nights, subtotal=rate * nights, total=rate * nights,
            currency=tenant.currency, source=source, status=status,
        )
        Reservation.objects.filter(pk=reservation.pk).update(created_at=timezone.now() - days_ago * DAY)
        NightlyInventory.objects.filter(
            room_type=room_type, date__gte=reservation.check_in, date__lt=reservation.check_out,
        ).update(rooms_booked=1)
    return reservation


def a_busy_day(tenant):
    standard = RoomTypeFactory(tenant=tenant, code="standard", name="Standard", room_count=8)
    suite = RoomTypeFactory(tenant=tenant, code="suite", name="Suite", room_count=2, base_rate=Decimal("240"))
    arriving = booked(standard, "Ana García", starts=0, nights=3)
    booked(suite, "Tom Baker", starts=0, status="checked_in", source="web", days_ago=12)
    booked(standard, "Marie Dupont", starts=-2, status="checked_in", source="api", days_ago=20)
    booked(suite, "Jonas Berg", starts=-1, nights=4, status="checked_in", source="admin", days_ago=5)
    booked(standard, "Lena Koch", starts=-3, nights=5, days_ago=25)
    for days_ago in range(1, 29, 3):
        booked(standard, f"Future Guest {days_ago}", starts=20 + days_ago, days_ago=days_ago,
               source=("whatsapp", "api", "web")[days_ago % 3])
    ConversationFactory(tenant=tenant, guest_name="Pablo Ortega", needs_staff=True,
                        last_activity_at=timezone.now() - datetime.timedelta(minutes=42))
    with scopes_disabled():
        PendingBooking.objects.create(
            tenant=tenant, client_reference="pb-browser", source="whatsapp",
            request={"guest_name": "Sofía León", "room_type": "suite", "check_in": "2027-01-10",
                     "check_out": "2027-01-12"},
        )
    return arriving


def test_the_front_desk_sees_todays_arrivals_after_signing_in(page, front_desk, tenant):
    arriving = a_busy_day(tenant)

    sign_in(page, "lucia")

    assert "Back office" in page.wait_for_text("#content h1", "Today at Hotel Sol")
    arrivals = page.wait_for_text("#today-arrivals", arriving.code)
    assert "Ana García" in arrivals and "Standard" in arrivals
    assert "Pablo Ortega" in page.find("#today-conversations").text
    assert page.find_all("#today-history svg rect")
    page.shot("dashboard")

    page.find(f"#today-arrivals a[href$='/{arriving.pk}/change/']").click()
    page.wait_for_text("#content", arriving.code)
