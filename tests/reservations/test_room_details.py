"""Room types carry what a guest chooses by, and staff fill it in on the room type screen."""
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from reservations.models import RoomType
from reservations.room_facts import RoomFacts, room_facts
from reservations.services.demo import HOTELS, demo_seed
from tenants.models import TenantMembership
from tests.admin.pages import admin_url, change_form_data
from tests.factories import MembershipFactory, RoomTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_manager(client, tenant):
    client.force_login(MembershipFactory(tenant=tenant, role=TenantMembership.Role.MANAGER).user)
    return client


@pytest.mark.parametrize(("language", "label"), [
    ("es", "Habitación doble"), ("en", "Double room"), ("en-GB", "Double room"), ("fr", "Doble"),
    ("", "Doble"),
])
def test_label_is_the_name_in_the_language_else_the_name(tenant, language, label):
    room = RoomTypeFactory.build(tenant=tenant, name="Doble", name_es="Habitación doble",
                                 name_en="Double room")
    assert room.label(language) == label


def test_label_falls_back_when_the_language_has_no_name(tenant):
    assert RoomTypeFactory.build(tenant=tenant, name="Doble", name_en="").label("en") == "Doble"


@pytest.mark.parametrize("amenities", [["balcony", "jacuzzi"], ["pool"], "balcony", {"balcony": True}])
def test_amenities_outside_the_vocabulary_are_refused(tenant, amenities):
    room = RoomTypeFactory.build(tenant=tenant, code="x", amenities=amenities)
    with pytest.raises(ValidationError) as error, scopes_disabled():
        room.full_clean()
    assert "amenities" in error.value.message_dict


def test_known_amenities_pass(tenant):
    with scopes_disabled():
        room = RoomTypeFactory.build(tenant=tenant, code="x", amenities=["balcony", "bathtub"], beds="king")
        room.full_clean()


def test_room_facts_copy_the_room_type(standard):
    standard.name_en, standard.description_es = "Standard room", "Tranquila."
    standard.amenities, standard.beds, standard.size_m2 = ["bathtub", "balcony"], "queen", 20

    facts = room_facts(standard)

    assert facts == RoomFacts(
        code="standard", name="Standard", names={"en": "Standard room"}, descriptions={"es": "Tranquila."},
        max_guests=2, base_rate=Decimal("100.00"), beds="queen", amenities=("balcony", "bathtub"), size_m2=20,
    )


def test_the_room_type_form_shows_and_saves_the_new_fields(as_manager, standard):
    page = as_manager.get(admin_url(RoomType, "change", standard.pk))
    html = page.content.decode()
    for field in ("name_es", "name_en", "description_es", "description_en", "beds", "size_m2", "amenities"):
        assert f'name="{field}"' in html
    assert 'value="sea_view"' in html  # amenities are tick boxes of the vocabulary

    data = change_form_data(page)
    data.update({
        "name_es": "Estándar", "name_en": "Standard room", "description_es": "Interior y tranquila.",
        "description_en": "Quiet.", "beds": "twin", "size_m2": "18", "amenities": ["walk_in_shower", "desk"],
    })
    response = as_manager.post(admin_url(RoomType, "change", standard.pk), data)

    assert response.status_code == 302
    standard.refresh_from_db()
    assert (standard.name_es, standard.beds, standard.size_m2) == ("Estándar", "twin", 18)
    assert standard.amenities == ["walk_in_shower", "desk"]
    assert standard.label("en") == "Standard room"


def test_the_form_refuses_an_unknown_amenity(as_manager, standard):
    data = change_form_data(as_manager.get(admin_url(RoomType, "change", standard.pk)))
    data["amenities"] = ["balcony", "helipad"]

    response = as_manager.post(admin_url(RoomType, "change", standard.pk), data)

    assert response.status_code == 200
    assert "amenities" in response.context["adminform"].form.errors
    standard.refresh_from_db()
    assert standard.amenities == []


def test_the_hotel_screen_still_saves_with_its_short_room_type_rows(as_manager, tenant, standard):
    from tenants.models import Tenant

    data = change_form_data(as_manager.get(admin_url(Tenant, "change", tenant.pk)))
    assert "room_types-0-amenities" not in data

    assert as_manager.post(admin_url(Tenant, "change", tenant.pk), data).status_code == 302


def test_demo_room_types_are_described(db):
    demo_seed()
    with scopes_disabled():
        rooms = list(RoomType.objects.select_related("tenant"))
        assert len(rooms) == 6
        for room in rooms:
            assert room.name_es and room.name_en and room.description_es and room.description_en
            assert room.beds and room.size_m2 and room.amenities
            room.full_clean()


def test_demo_seed_fills_blank_details_and_keeps_what_staff_wrote(db):
    demo_seed()
    with scopes_disabled():
        suite = RoomType.objects.get(tenant__slug="hotel-sol", code="suite")
        RoomType.objects.filter(pk=suite.pk).update(name_en="Penthouse", description_es="", amenities=[],
                                                    base_rate=Decimal("300"))
    demo_seed()

    suite.refresh_from_db()
    spec = next(details for code, *_rest, details in HOTELS[0]["room_types"] if code == "suite")
    assert suite.name_en == "Penthouse"
    assert suite.description_es == spec["description_es"]
    assert suite.amenities == spec["amenities"]
    assert suite.base_rate == Decimal("300")


def test_demo_rooms_differ_the_way_guests_choose(db):
    """Standard: small, no bathtub; deluxe: balcony and bathtub; suite: the biggest, terrace, view."""
    for hotel in HOTELS:
        rooms = {code: room_facts(SimpleNamespace(code=code, name=name, max_guests=guests, base_rate=rate,
                                                  **details))
                 for code, name, guests, rate, _count, details in hotel["room_types"]}
        assert "bathtub" not in rooms["standard"].amenities
        assert {"balcony", "bathtub"} <= set(rooms["deluxe"].amenities)
        assert {"terrace", "sea_view", "bathtub"} <= set(rooms["suite"].amenities)
        assert rooms["standard"].size_m2 < rooms["deluxe"].size_m2 < rooms["suite"].size_m2
