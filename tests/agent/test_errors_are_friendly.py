"""When the booking service says no, the guest reads a sentence that helps, in
their language; never a field name, an exception or the word "blacklist"."""
import datetime

import pytest
from django_scopes import scopes_disabled

from reservations.models import NightlyInventory, Reservation
from reservations.services import reservation_create
from tests.factories import BlacklistEntryFactory, RoomTypeFactory, TenantFactory

from .conftest import Chat, days_ahead, en_day, es_day, new_conversation

pytestmark = pytest.mark.django_db

TECHNICAL = ("guest_email", "guest_phone", "check_in", "check_out", "ValidationError", "Traceback",
             "blacklist", "lista negra", "None")


def assert_friendly(reply):
    assert reply
    for word in TECHNICAL:
        assert word not in reply


def reach_summary(chat, tenant, *, email="ana@example.com", room="la suite", days=10, nights=2):
    check_in = days_ahead(tenant, days)
    check_out = check_in + datetime.timedelta(days=nights)
    chat.send(f"quiero reservar del {es_day(check_in)} al {es_day(check_out)} para 2 personas")
    chat.send(room)
    chat.send("Ana García")
    return chat.send(email)


def test_an_invalid_email_is_explained_and_asked_again(chat, hotel):
    reply = reach_summary(chat, hotel, email="ana@example")

    assert_friendly(reply)
    assert "no parece un email válido" in reply
    assert chat.conversation.state == "ask_email"
    assert "Resumen" in chat.send("ana@example.com")


def test_a_blacklisted_guest_gets_a_neutral_answer_with_the_hotels_contact(chat, hotel):
    BlacklistEntryFactory(tenant=hotel, email="ana@example.com")
    reach_summary(chat, hotel)

    reply = chat.send("sí")

    assert_friendly(reply)
    assert "no podemos completar esta reserva" in reply
    assert "+34952000000" in reply and "recepcion@hotelmar.example" in reply
    with scopes_disabled():
        assert not Reservation.objects.exists()


def test_too_many_active_reservations_is_explained(chat, hotel):
    hotel.max_active_reservations_per_guest = 0
    hotel.save()
    reach_summary(chat, hotel)

    reply = chat.send("sí")

    assert_friendly(reply)
    assert "número máximo de reservas activas" in reply


def test_a_room_taken_meanwhile_offers_the_rooms_still_free(chat, hotel):
    summary = reach_summary(chat, hotel)
    assert "Resumen" in summary
    slots = chat.conversation.slots
    reservation_create(
        tenant=hotel, room_type="suite", check_in=datetime.date.fromisoformat(slots["check_in"]),
        check_out=datetime.date.fromisoformat(slots["check_out"]), guests=2, guest_name="Otro",
        guest_email="otro@example.com", guest_phone="+34699999999", source="api",
    )

    reply = chat.send("sí")

    assert_friendly(reply)
    assert "la habitación Suite ya no está disponible" in reply
    assert "Estas sí lo están" in reply
    assert "Standard" in reply and "Deluxe" in reply
    assert chat.conversation.state == "ask_room_type"
    chat.send("la standard")
    chat.send("sí")
    with scopes_disabled():
        assert Reservation.objects.filter(source="whatsapp", room_type__code="standard").exists()


def test_a_full_room_is_refused_before_the_summary(chat, hotel):
    check_in = days_ahead(hotel, 10)
    reservation_create(
        tenant=hotel, room_type="suite", check_in=check_in, check_out=check_in + datetime.timedelta(days=2),
        guests=2, guest_name="Otro", guest_email="otro@example.com", guest_phone="+34699999999",
        source="api",
    )

    reply = chat.send(f"quiero la suite el {es_day(check_in)} por 2 noches para 2 personas")

    assert "la habitación Suite ya no está disponible" in reply
    assert "Standard" in reply


def test_a_date_in_the_past_is_explained(chat):
    reply = chat.send("quiero reservar del 1 de enero de 2020 al 3 de enero de 2020")

    assert_friendly(reply)
    assert "Esa fecha ya ha pasado" in reply
    assert chat.conversation.state == "ask_dates"


def test_too_many_nights_are_explained(inn_chat, inn):
    reply = inn_chat.send(f"I want to book from {en_day(days_ahead(inn, 5))} for 100 nights")

    assert_friendly(reply)
    assert "at most 90 nights" in reply


def test_too_many_guests_are_explained(chat, hotel):
    reply = chat.send(f"quiero reservar el {es_day(days_ahead(hotel, 5))} por 2 noches para 15 personas")

    assert_friendly(reply)
    assert "entre 1 y 10 personas" in reply


def test_a_room_too_small_for_the_party_is_explained(chat, hotel):
    reply = chat.send(f"quiero la standard el {es_day(days_ahead(hotel, 5))} por 2 noches para 3 personas")

    assert_friendly(reply)
    assert "es para 2 personas como máximo" in reply
    assert "Deluxe" in reply


def test_a_room_type_the_hotel_does_not_have(chat, hotel):
    reply = chat.send(f"quiero una familiar el {es_day(days_ahead(hotel, 5))} por 2 noches para 2 personas")

    assert "No tenemos ese tipo de habitación" in reply
    assert "Standard" in reply


@pytest.mark.parametrize("text", [
    "quiero reservar doble el {day} por 2 noches, somos 2",
    "teneis hab. doble el {day} 2 noches para 2?",
    "una individual el {day} por 2 noches, para 1 persona",
    "do you have a double room on {en} for 2 nights, 2 adults",
    "single room {en}, 2 nights, just me",
])
def test_a_room_asked_for_by_occupancy_is_not_refused_as_a_kind_we_lack(chat, hotel, text):
    """"doble" / "single" say how many the room is for; a hotel whose rooms are
    called Standard, Deluxe and Suite still has one."""
    day = days_ahead(hotel, 5)

    reply = chat.send(text.format(day=es_day(day), en=en_day(day)))

    assert_friendly(reply)
    assert "No tenemos ese tipo" not in reply
    assert "don't have that kind" not in reply
    assert "Standard" in reply


def test_web_guests_are_asked_for_a_phone_and_a_bad_one_is_explained(hotel):
    chat = Chat(new_conversation(hotel, channel="web", guest_id="web-session-1", guest_phone=""))
    reach_summary(chat, hotel)
    assert chat.conversation.state == "ask_phone"

    bad = chat.send("123")
    summary = chat.send("612 345 678")
    chat.send("sí")

    assert_friendly(bad)
    assert "teléfono no parece válido" in bad
    assert "Resumen" in summary
    with scopes_disabled():
        reservation = Reservation.objects.get()
    assert reservation.source == "web"
    assert reservation.guest_phone == "+34612345678"


def test_a_number_that_cannot_exist_is_refused_at_once(hotel):
    chat = Chat(new_conversation(hotel, channel="web", guest_id="web-session-2", guest_phone=""))
    reach_summary(chat, hotel)

    reply = chat.send("999 999 999 999")

    assert "teléfono no parece válido" in reply
    assert chat.conversation.state == "ask_phone"


def test_a_phone_the_service_refuses_is_asked_again(hotel):
    chat = Chat(new_conversation(hotel, guest_phone="12345"))
    reach_summary(chat, hotel)

    refused = chat.send("sí")
    summary = chat.send("612 345 678")
    chat.send("sí")

    assert_friendly(refused)
    assert "teléfono no parece válido" in refused
    assert "+34612345678" in summary
    with scopes_disabled():
        assert Reservation.objects.get().guest_phone == "+34612345678"


def test_a_party_bigger_than_any_room_is_offered_rooms_for_its_share(chat, hotel):
    reply = chat.send(f"quiero reservar el {es_day(days_ahead(hotel, 5))} por 2 noches para 6 personas")

    assert_friendly(reply)
    assert "Ninguna de nuestras habitaciones admite 6 personas (como máximo 4)" in reply
    assert "os propongo 2 habitaciones" in reply
    assert "(2 noches, 3 personas)" in reply
    assert chat.conversation.state == "ask_room_type"
    assert chat.conversation.slots["more_rooms"] == 1


def test_a_group_needing_more_rooms_than_a_chat_books_is_given_the_hotel(db):
    tenant = TenantFactory(slug="hostal-par", support_phone="+34952000001")
    RoomTypeFactory(tenant=tenant, code="double", name="Doble", max_guests=2)
    chat = Chat(new_conversation(tenant))

    reply = chat.send(f"quiero reservar el {es_day(days_ahead(tenant, 5))} por 2 noches para 10 personas")

    assert_friendly(reply)
    assert "2 personas como máximo" in reply
    assert "+34952000001" in reply
    assert chat.conversation.state == "ask_guests"
    assert "more_rooms" not in chat.conversation.slots


def test_fully_booked_dates_ask_for_other_dates(inn_chat, inn):
    check_in = days_ahead(inn, 5)
    with scopes_disabled():
        NightlyInventory.objects.filter(room_type__tenant=inn, date=check_in).update(rooms_total=0)

    reply = inn_chat.send(f"book {en_day(check_in)} for 2 nights for 2 people")

    assert "we have no rooms left" in reply
    assert "Shall I look at other dates?" in reply
    assert inn_chat.conversation.state == "ask_dates"
    assert "check_in" not in inn_chat.conversation.slots


def test_a_date_too_far_ahead_is_explained(inn_chat, inn):
    far = days_ahead(inn, 800)

    reply = inn_chat.send(f"any rooms from {en_day(far)} for 2 nights?")

    assert_friendly(reply)
    assert "too far ahead" in reply and "730 days" in reply
