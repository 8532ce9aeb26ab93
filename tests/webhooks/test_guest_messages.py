"""The product writes first: a pre-arrival message N days before check-in and a
survey the day after check-out, in each hotel's sending window, once per stay,
never to a guest who opted out; the survey's answer becomes a GuestRating that
the dashboard and the gauge average. Sent through the Graph API stand-in."""
import datetime
import html
import io
import threading
import zoneinfo
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections
from django_scopes import scopes_disabled
from prometheus_client import REGISTRY

from reservations.models import GuestRating, Reservation
from security.models import AuditEvent
from tests.factories import ConversationFactory, MembershipFactory
from webhooks.demo import demo_templates
from webhooks.guest_messaging import send_guest_messages, whatsapp_id
from webhooks.models import Conversation, GuestOptOut, OutboundMessage

from . import payloads

pytestmark = pytest.mark.django_db

MADRID = zoneinfo.ZoneInfo("Europe/Madrid")
GUEST = payloads.GUEST  # 34612345678, a Spanish mobile
#: 10:00 in Madrid on 10 March 2027, inside the default 09:00–21:00 window.
MORNING = datetime.datetime(2027, 3, 10, 10, 0, tzinfo=MADRID)


@pytest.fixture
def templated(hotel_sol):
    demo_templates([hotel_sol.slug])
    return hotel_sol


_codes = iter(range(1000, 9999))


def stay(tenant, *, check_in: datetime.date, nights: int = 2, status="confirmed", phone=f"+{GUEST}",
         name="Ana García") -> Reservation:
    with scopes_disabled():
        return Reservation.objects.create(
            tenant=tenant, code=f"HA-T{next(_codes)}", room_type=tenant.room_types.get(code="standard"),
            guest_name=name, guest_email="ana@example.com", guest_phone=phone, guests=2,
            check_in=check_in, check_out=check_in + datetime.timedelta(days=nights), nights=nights,
            status=status, nightly_rates=[], subtotal=Decimal("180"), total=Decimal("180"),
            currency="EUR", source="api",
        )


def written(**filters) -> list[OutboundMessage]:
    with scopes_disabled():
        return list(OutboundMessage.objects.filter(**filters).order_by("pk"))


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """A beat's run as of `now`, its messages handed to the (eager) send task."""
    def run(now=MORNING, **options):
        with django_capture_on_commit_callbacks(execute=True):
            return send_guest_messages(now=now, **options)
    return run


def test_pre_arrival_goes_two_days_before_as_the_template_with_its_values(templated, graph_api, run):
    reservation = stay(templated, check_in=datetime.date(2027, 3, 12))

    summary = run()

    assert (summary.due, summary.sent) == (1, 1)
    [message] = written(purpose="pre_arrival")
    assert (message.reservation, message.recipient_id, message.status) == (reservation, GUEST, "sent")
    [request] = graph_api.requests
    template = request["json"]["template"]
    assert (request["json"]["type"], template["name"], template["language"]) == (
        "template", "hotelagent_pre_arrival", {"code": "es"})
    values = [parameter["text"] for parameter in template["components"][0]["parameters"]]
    assert values[:4] == ["Ana", "Hotel Sol", reservation.code, "viernes, 12 de marzo de 2027"]
    assert values[5] == "15:00"
    assert "/g/" in values[7] or values[7].startswith("http")


def test_one_per_stay_however_many_runs(templated, graph_api, run):
    stay(templated, check_in=datetime.date(2027, 3, 12))

    first = run()
    second = run(now=MORNING + datetime.timedelta(minutes=15))
    third = run(now=MORNING + datetime.timedelta(days=1))

    assert (first.sent, second.sent, third.sent) == (1, 0, 0)
    assert len(written(purpose="pre_arrival")) == 1
    assert len(graph_api.requests) == 1


@pytest.mark.parametrize(("local_time", "sent"), [
    (datetime.time(8, 59), 0), (datetime.time(9, 0), 1), (datetime.time(20, 59), 1),
    (datetime.time(21, 0), 0), (datetime.time(3, 0), 0),
])
def test_only_in_the_hotels_sending_window_in_its_own_clock(templated, graph_api, local_time, sent, run):
    stay(templated, check_in=datetime.date(2027, 3, 12))

    summary = run(now=datetime.datetime.combine(datetime.date(2027, 3, 10), local_time, tzinfo=MADRID),
                  tenant=templated)

    assert summary.sent == sent
    if not sent:
        assert "outside its sending window (09:00–21:00, Europe/Madrid)" in summary.hotels[0].line()


def test_a_hotel_far_away_is_judged_by_its_own_clock(other_tenant, graph_api, harbor_number, run):
    """10:00 in Madrid is 04:00 in New York: nothing for Harbor Inn yet."""
    from tests.factories import RoomTypeFactory
    RoomTypeFactory(tenant=other_tenant, code="standard", name="Standard", max_guests=2)
    demo_templates([other_tenant.slug])
    stay(other_tenant, check_in=datetime.date(2027, 3, 12), phone="+12025550143")

    assert run(tenant=other_tenant).sent == 0
    assert run(tenant=other_tenant, now=MORNING + datetime.timedelta(hours=6)).sent == 1


@pytest.mark.parametrize(("fields", "reason"), [
    ({"status": "cancelled"}, None),
    ({"phone": "+34910000001"}, "not_on_whatsapp"),  # a Madrid landline
    ({"phone": "12"}, "not_on_whatsapp"),
])
def test_stays_that_get_no_message(templated, graph_api, fields, reason, run):
    stay(templated, check_in=datetime.date(2027, 3, 12), **fields)

    summary = run()

    assert summary.sent == 0
    assert dict(summary.skipped) == ({reason: 1} if reason else {})
    assert graph_api.requests == []


def test_without_a_template_nothing_is_written_until_one_is_added(hotel_sol, graph_api, run):
    stay(hotel_sol, check_in=datetime.date(2027, 3, 12))

    assert dict(run().skipped) == {"no_template": 1}
    demo_templates([hotel_sol.slug])
    assert run().sent == 1


def test_pre_arrival_days_is_the_hotels_setting(templated, graph_api, run):
    templated.pre_arrival_days = 5
    templated.save()
    stay(templated, check_in=datetime.date(2027, 3, 16))  # 6 days ahead: not yet
    soon = stay(templated, check_in=datetime.date(2027, 3, 15))

    run()

    assert [message.reservation for message in written(purpose="pre_arrival")] == [soon]


def test_the_survey_goes_the_day_after_check_out_and_not_for_old_stays(templated, graph_api, run):
    yesterday = stay(templated, check_in=datetime.date(2027, 3, 7), nights=2, status="checked_out")  # out 9th
    stay(templated, check_in=datetime.date(2027, 3, 8), nights=2, status="checked_in")  # out today: not yet
    stay(templated, check_in=datetime.date(2027, 2, 1), nights=2, status="checked_out")  # a month ago
    stay(templated, check_in=datetime.date(2027, 3, 6), nights=2, status="no_show")

    run()

    [survey] = written(purpose="post_stay_survey")
    assert survey.reservation == yesterday
    assert survey.interactive["choices"][0] == {
        "id": "survey:5", "title": "5 ★★★★★", "description": "Excelente"}
    assert graph_api.requests[0]["json"]["template"]["name"] == "hotelagent_post_stay_survey"


def guest_says(meta, text: str, wamid: str, *, sender: str = GUEST):
    response = payloads.post(meta, payloads.delivery(payloads.change(
        payloads.SOL_NUMBER_ID, messages=[payloads.text(wamid, text, sender=sender)])))
    assert response.status_code == 200


def replies_to(wamid: str) -> list[str]:
    with scopes_disabled():
        return list(OutboundMessage.objects.filter(inbound__external_id=wamid).values_list("text", flat=True))


@pytest.fixture
def surveyed(templated, graph_api):
    """Ana checked out yesterday and got the survey."""
    reservation = stay(templated, check_in=datetime.date(2027, 3, 7), status="checked_out")
    with scopes_disabled():
        # The survey as the run writes it, made recent for the answer window.
        send_guest_messages(now=MORNING)
        OutboundMessage.objects.filter(purpose="post_stay_survey").update(created_at=datetime.datetime.now(
            datetime.UTC))
    return reservation


def test_the_survey_answer_becomes_a_rating_then_the_next_message_its_comment(surveyed, meta, tenant):
    guest_says(meta, "4", "wamid.rate")
    guest_says(meta, "La habitacion genial pero el desayuno flojo", "wamid.comment")
    guest_says(meta, "tienen parking?", "wamid.question")

    with scopes_disabled():
        rating = GuestRating.objects.get()
        event = AuditEvent.objects.get(action="guest_rated_stay")
    assert (rating.reservation, rating.score) == (surveyed, 4)
    assert rating.comment == "La habitacion genial pero el desayuno flojo"
    assert "Muchas gracias por tu valoración (4/5)" in replies_to("wamid.rate")[0]
    assert replies_to("wamid.comment") == ["Gracias por tus comentarios, se los hacemos llegar al equipo."]
    assert "Gracias por tus comentarios" not in " ".join(replies_to("wamid.question"))  # the agent again
    assert event.details == {"score": 4, "changed": False, "handed_to_staff": False}


@pytest.mark.parametrize("answer", ["5", "5/5", "⭐⭐⭐⭐⭐", "cinco", "Un 5!", "5 estrellas"])
def test_the_ways_guests_write_a_score(surveyed, meta, answer):
    guest_says(meta, answer, "wamid.rate")

    with scopes_disabled():
        assert GuestRating.objects.get().score == 5


def test_a_tapped_row_of_the_survey_list_is_its_score(surveyed, meta):
    message = {
        "from": GUEST, "id": "wamid.tap", "timestamp": str(int(datetime.datetime.now().timestamp())),
        "type": "interactive",
        "interactive": {"type": "list_reply", "list_reply": {"id": "survey:3", "title": "3 ★★★"}},
    }
    payloads.post(meta, payloads.delivery(payloads.change(payloads.SOL_NUMBER_ID, messages=[message])))

    with scopes_disabled():
        assert GuestRating.objects.get().score == 3


def test_a_low_score_hands_the_guest_to_staff_and_emails_the_hotel(surveyed, meta, tenant,
                                                                   django_capture_on_commit_callbacks):
    tenant.support_email = "recepcion@hotelsol.example"
    tenant.save()
    manager = MembershipFactory(tenant=tenant, role="manager").user
    manager.email = "direccion@hotelsol.example"
    manager.save()

    with django_capture_on_commit_callbacks(execute=True):
        guest_says(meta, "1", "wamid.rate")

    with scopes_disabled():
        conversation = Conversation.objects.get(guest_id=GUEST)
    assert conversation.needs_staff is True
    assert "He avisado al equipo del hotel" in replies_to("wamid.rate")[0]
    [alert] = mail.outbox
    assert sorted(alert.to) == ["direccion@hotelsol.example", "recepcion@hotelsol.example"]
    assert "1/5" in alert.subject and surveyed.code in alert.body


def test_a_number_answering_the_agents_question_is_not_a_rating(surveyed, meta):
    with scopes_disabled():
        ConversationFactory(tenant=surveyed.tenant, guest_id=GUEST, state="ask_guests")

    guest_says(meta, "2", "wamid.guests")

    with scopes_disabled():
        assert not GuestRating.objects.exists()


def test_without_a_survey_a_number_is_the_agents(templated, meta):
    guest_says(meta, "5", "wamid.five")

    with scopes_disabled():
        assert not GuestRating.objects.exists()


@pytest.mark.parametrize("words", ["STOP", "baja", "No más mensajes", "no mas mensajes!!", "Darme de baja"])
def test_stop_opts_out_is_audited_and_honoured_by_every_proactive_message(templated, meta, graph_api, words,
                                                                          run):
    guest_says(meta, words, "wamid.stop")

    with scopes_disabled():
        opt_out = GuestOptOut.objects.get()
        assert AuditEvent.objects.filter(action="guest_opted_out", tenant=templated).count() == 1
    assert (opt_out.guest_id, opt_out.channel) == (GUEST, "whatsapp")
    assert "no te escribiremos más" in replies_to("wamid.stop")[0]
    stay(templated, check_in=datetime.date(2027, 3, 12))
    stay(templated, check_in=datetime.date(2027, 3, 7), status="checked_out")

    summary = run()

    assert (summary.sent, dict(summary.skipped)) == (0, {"opted_out": 2})


def test_start_undoes_the_opt_out(templated, meta, graph_api, run):
    guest_says(meta, "STOP", "wamid.stop")
    guest_says(meta, "start", "wamid.start")

    with scopes_disabled():
        assert not GuestOptOut.objects.exists()
    stay(templated, check_in=datetime.date(2027, 3, 12))
    assert run().sent == 1


def test_the_rating_reaches_the_dashboard_and_the_gauge(surveyed, meta, client, tenant):
    guest_says(meta, "4", "wamid.rate")
    guest_says(meta, "5", "wamid.again")  # a second answer changes the rating, never adds one
    client.force_login(MembershipFactory(tenant=tenant, role="manager").user)

    page = html.unescape(client.get("/admin/", {"hotel": tenant.slug}).content.decode())

    tile = page[page.index('<li id="today-satisfaction"'):]
    tile = tile[:tile.index("</li>")]
    assert "<strong>5.0</strong> guest satisfaction (of 5)" in tile
    assert "1 rating in the last 90 days" in tile
    assert REGISTRY.get_sample_value("hotelagent_guest_satisfaction_score", {"tenant": "hotel-sol"}) == 5.0


def test_the_command_prints_what_is_due_sent_and_skipped(templated, graph_api):
    stay(templated, check_in=datetime.date(2027, 3, 12))
    stay(templated, check_in=datetime.date(2027, 3, 11), phone="+34910000001")
    out = io.StringIO()

    call_command("send_guest_messages", "--tenant", "hotel-sol", "--dry-run",
                 "--now", "2027-03-10T10:00+01:00", stdout=out)

    assert "Hotel Sol (hotel-sol): 2 due, 1 would send, 1 skipped (not_on_whatsapp: 1)" in out.getvalue()
    assert "2 due, 1 would send, 1 skipped" in out.getvalue()
    assert written() == []  # a dry run writes nothing

    call_command("send_guest_messages", "--now", "2027-03-10T10:00+01:00", stdout=io.StringIO())
    assert len(written(purpose="pre_arrival")) == 1


@pytest.mark.parametrize("args", [["--now", "tomorrow"], ["--now", "2027-13-45T10:00"], ["--tenant", "nope"]])
def test_the_command_refuses_bad_arguments_clearly(db, args):
    from django.core.management.base import CommandError
    with pytest.raises(CommandError):
        call_command("send_guest_messages", *args, stdout=io.StringIO())


@pytest.mark.parametrize(("phone", "wa_id"), [
    ("+34612345678", "34612345678"), ("612 34 56 78", "34612345678"), ("+34910000001", ""),
    ("+1 202 555 0143", "12025550143"), ("", ""), ("hola", ""),
])
def test_whatsapp_ids_from_reservation_phones(phone, wa_id):
    assert whatsapp_id(phone, region="ES") == wa_id


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_write_one_message_per_stay(hotel_sol, graph_api):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL")
    demo_templates([hotel_sol.slug])
    stay(hotel_sol, check_in=datetime.date(2027, 3, 12))
    stay(hotel_sol, check_in=datetime.date(2027, 3, 7), status="checked_out")
    barrier, results = threading.Barrier(4), []

    def beat():
        try:
            barrier.wait()
            results.append(send_guest_messages(now=MORNING).sent)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=beat) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sum(results) == 2
    assert len(written(purpose="pre_arrival")) == 1 and len(written(purpose="post_stay_survey")) == 1
