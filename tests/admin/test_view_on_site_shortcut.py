"""The admin's "view on site" shortcut, /admin/r/<content type>/<object>/, answers
for the rows the user may see: another hotel's row is the same 404 as a row that
does not exist, so the shortcut cannot tell staff what other hotels have."""
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from reservations.models import RoomType
from tenants.models import Tenant

pytestmark = pytest.mark.django_db

MISSING = 987654


@pytest.fixture
def room_types_have_a_page(monkeypatch):
    """No model of ours has a public page yet; the day one does, this is what it looks like."""
    monkeypatch.setattr(RoomType, "get_absolute_url", lambda room_type: f"/rooms/{room_type.pk}/",
                        raising=False)


def shortcut(model, pk) -> str:
    return reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(model).pk, pk])


def refusal(client, settings, model, pk) -> str:
    """What the 404 says, as the DEBUG page shows it, with the id asked for left out."""
    settings.DEBUG = True
    page = client.get(shortcut(model, pk)).content.decode()
    reason = re.search(r'<pre class="exception_value">(.*?)</pre>', page, re.S).group(1)
    return reason.replace(f"object {pk} ", "object <id> ")


def test_staff_get_the_same_404_for_another_hotels_room_type_as_for_a_missing_one(
    as_staff, other_standard, room_types_have_a_page
):
    theirs = as_staff.get(shortcut(RoomType, other_standard.pk))
    missing = as_staff.get(shortcut(RoomType, MISSING))

    assert theirs.status_code == missing.status_code == 404
    assert theirs.content == missing.content


def test_the_404_says_the_same_for_another_hotels_row_and_a_missing_one(as_staff, settings, other_standard):
    theirs = refusal(as_staff, settings, RoomType, other_standard.pk)

    assert theirs == refusal(as_staff, settings, RoomType, MISSING)
    assert "doesn’t exist" in theirs


def test_staff_get_the_same_404_for_another_hotel_as_for_a_missing_one(as_staff, settings, other_tenant):
    theirs = as_staff.get(shortcut(Tenant, other_tenant.pk))
    missing = as_staff.get(shortcut(Tenant, MISSING))

    assert theirs.status_code == missing.status_code == 404
    assert theirs.content == missing.content
    assert refusal(as_staff, settings, Tenant, other_tenant.pk) == refusal(
        as_staff, settings, Tenant, MISSING)


def test_staff_are_sent_to_their_own_hotels_room_type(as_staff, standard, room_types_have_a_page):
    response = as_staff.get(shortcut(RoomType, standard.pk))

    assert response.status_code == 302
    assert response["Location"].endswith(f"/rooms/{standard.pk}/")


def test_a_superuser_is_sent_to_any_hotels_room_type(as_superuser, other_standard, room_types_have_a_page):
    response = as_superuser.get(shortcut(RoomType, other_standard.pk))

    assert response["Location"].endswith(f"/rooms/{other_standard.pk}/")


def test_a_model_without_a_screen_is_the_same_404(as_staff, standard):
    sessions = ContentType.objects.get(app_label="sessions", model="session")

    response = as_staff.get(reverse("admin:view_on_site", args=[sessions.pk, "anything"]))

    assert response.status_code == 404
    assert response.content == as_staff.get(shortcut(RoomType, MISSING)).content


def test_an_unknown_content_type_is_a_404(as_staff):
    assert as_staff.get(reverse("admin:view_on_site", args=[MISSING, 1])).status_code == 404
    assert as_staff.get(reverse("admin:view_on_site", args=["abc", 1])).status_code == 404
