"""The back office speaks each staff member's language: their own choice, else
their browser's, else their hotel's."""
import datetime

import pytest
from django.urls import reverse

from security.models import AuditEvent
from tenants.models import StaffProfile, TenantMembership
from tests.factories import MembershipFactory, TenantFactory, UserFactory

INDEX = "/admin/"


@pytest.fixture
def receptionist(db):
    hotel = TenantFactory(slug="hostal-luna", name="Hostal Luna", language="es")
    return MembershipFactory(tenant=hotel, role=TenantMembership.Role.STAFF).user


def signed_in(client, user):
    client.force_login(user)
    return client


def test_the_hotels_language_when_the_browser_asks_for_nothing_we_speak(client, receptionist):
    response = signed_in(client, receptionist).get(INDEX, HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    assert response.headers["Content-Language"] == "es"
    assert "Cerrar sesión" in response.content.decode()


def test_the_browsers_language_wins_over_the_hotels(client, receptionist):
    response = signed_in(client, receptionist).get(INDEX, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8")
    assert response.headers["Content-Language"] == "en"
    assert "Log out" in response.content.decode()


def test_the_staff_members_choice_wins_over_everything_and_is_kept(client, receptionist):
    client = signed_in(client, receptionist)
    response = client.post(reverse("staff-language"), {"language": "en", "next": "/admin/"},
                           HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/"
    assert StaffProfile.objects.get(user=receptionist).language == "en"
    assert client.get(INDEX, HTTP_ACCEPT_LANGUAGE="es").headers["Content-Language"] == "en"
    client.logout()
    client.force_login(receptionist)  # a new session reads the stored choice
    assert client.get(INDEX, HTTP_ACCEPT_LANGUAGE="es").headers["Content-Language"] == "en"


def test_choosing_automatic_goes_back_to_browser_then_hotel(client, receptionist):
    StaffProfile.objects.create(user=receptionist, language="en")
    client = signed_in(client, receptionist)
    client.post(reverse("staff-language"), {"language": ""})
    assert StaffProfile.objects.get(user=receptionist).language == ""
    assert client.get(INDEX, HTTP_ACCEPT_LANGUAGE="de").headers["Content-Language"] == "es"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_the_menu_never_sends_anyone_off_site(client, receptionist, target):
    response = signed_in(client, receptionist).post(reverse("staff-language"),
                                                    {"language": "es", "next": target})
    assert response.headers["Location"] == reverse("admin:index")


@pytest.mark.parametrize("language", ["fr", "x" * 500, "es\x00"])
def test_an_unknown_language_is_automatic_not_an_error(client, receptionist, language):
    response = signed_in(client, receptionist).post(reverse("staff-language"), {"language": language})
    assert response.status_code == 302
    assert StaffProfile.objects.get(user=receptionist).language == ""


def test_only_signed_in_staff_can_choose(client, db):
    response = client.post(reverse("staff-language"), {"language": "es"})
    assert response.status_code == 302 and "/admin/login/" in response.headers["Location"]
    assert not StaffProfile.objects.exists()
    assert client.get(reverse("staff-language")).status_code == 405


def test_the_header_offers_the_menu_with_the_current_language_selected(client, receptionist):
    page = signed_in(client, receptionist).get(INDEX, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'action="/admin/language/"' in page
    assert '<option value="en" selected>' in page


def test_a_superuser_without_a_hotel_keeps_the_browsers_or_the_default(client, db):
    response = signed_in(client, UserFactory(is_superuser=True)).get(INDEX, HTTP_ACCEPT_LANGUAGE="de")
    assert response.headers["Content-Language"] == "en"


def test_times_are_shown_in_the_hotels_time_zone(client, db):
    """Staff read times as on the front desk's clock, not in the server's UTC."""
    hotel = TenantFactory(slug="hostal-sol", name="Hostal Sol", language="es", timezone="America/Mexico_City")
    user = MembershipFactory(tenant=hotel, role=TenantMembership.Role.MANAGER).user
    moment = datetime.datetime(2026, 12, 2, 18, 30, tzinfo=datetime.UTC)  # 12:30 in Mexico City
    event = AuditEvent.objects.create(tenant=hotel, event_type="DATA_MODIFICATION", action="x", resource="r",
                                      created_at=moment)

    page = signed_in(client, user).get(f"/admin/security/auditevent/{event.pk}/change/",
                                       HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "12:30" in page and "18:30" not in page and "6:30" not in page
