"""The WSGI front (hotelagent/intake_wsgi.py) in front of the webhook view: a
plain signed delivery of messages is answered there, everything else by Django,
and Meta cannot tell which: same status, body and headers, same rows, one task
queued per new message, the same metrics and autoscaling counts.

Requests go through the composition `hotelagent.wsgi.application` is, what
gunicorn and runserver serve (tests/webhooks/front.py). As Django's test client
does, database connections are not closed between requests here: the test's
transaction must survive them; the last test keeps the real lifecycle."""
import json
import logging
import time

import pytest
from django.core import signals
from django.db import close_old_connections
from django.db.utils import OperationalError
from django_scopes import scopes_disabled
from prometheus_client import REGISTRY

from hotelagent import wsgi
from hotelagent.intake_wsgi import WebhookFront
from hotelagent.scaling import counters
from hotelagent.scaling.batch import batch
from security import log_context
from webhooks.models import InboundMessage

from . import payloads
from .front import URL, call, one_text, signed_call

ANSWERED = b'{"received":1,"stored":1,"statuses":0,"dropped":0}'


def test_what_gunicorn_serves_is_the_front_before_django():
    assert isinstance(wsgi.application, WebhookFront)
    assert wsgi.application.django is wsgi.django_application


@pytest.fixture(autouse=True)
def connections_kept(request):
    """What Django's test client does around each request: the test's transaction
    is not closed by request_started / request_finished."""
    if "transactional_db" in request.fixturenames:
        yield
        return
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def queued(monkeypatch):
    """Each task the intake queues, with the log context it travels with."""
    tasks: list = []

    def publish(task, *args):
        tasks.append((task.name, args, log_context.current()))
        return True

    monkeypatch.setattr("webhooks.fast_path.publish", publish)
    return tasks


@pytest.fixture
def sol_reply(hotel_sol, sol_number):
    """One of Hotel Sol's replies, sent from its number, as statuses name them."""
    from tests.factories import OutboundMessageFactory

    return OutboundMessageFactory(
        inbound__conversation__tenant=hotel_sol, inbound__account_external_id=payloads.SOL_NUMBER_ID,
        external_id="wamid.sol.out.front", status="sent")


def rows() -> list[tuple[str, str, str]]:
    with scopes_disabled():
        return list(InboundMessage.objects.order_by("pk").values_list("external_id", "text", "status"))


def front_answered(monkeypatch) -> list[bool]:
    """Records whether the front took each request (True) or gave it to Django."""
    from webhooks import fast_path

    taken: list[bool] = []
    accept = fast_path.accept

    def recording(body, signature):
        answer = accept(body, signature)
        taken.append(answer is not None)
        return answer

    monkeypatch.setattr(fast_path, "accept", recording)
    return taken


@pytest.mark.django_db
def test_a_plain_delivery_is_stored_queued_and_answered_as_the_view_answers(
        meta, hotel_sol, queued, monkeypatch):
    taken = front_answered(monkeypatch)

    answer = signed_call(one_text("wamid.front.1"), HTTP_X_REQUEST_ID="proxy-req-42")

    assert taken == [True]
    assert (answer.status_code, answer.content) == (200, ANSWERED)
    assert rows() == [("wamid.front.1", "Hola, ¿hay sitio el viernes?", "received")]
    [(task, args, context)] = queued
    assert task == "webhooks.tasks.process_inbound_message"
    assert args == (InboundMessage.objects.with_scopes_disabled().get().pk,)
    assert context == {"request_id": "proxy-req-42", "tenant": "hotel-sol"}
    assert answer.headers["X-Request-ID"] == "proxy-req-42"
    assert log_context.current() == {}  # nothing left for the next request in this thread

    from_view = payloads.post(meta, one_text("wamid.front.2"))
    assert from_view.content == ANSWERED
    assert _comparable(answer.headers) == _comparable(from_view.headers)


@pytest.mark.django_db
@pytest.mark.parametrize("secure", [False, True])
def test_its_headers_are_the_middlewares_in_production(meta, hotel_sol, queued, settings, secure):
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = False
    proto = {"HTTP_X_FORWARDED_PROTO": "https" if secure else "http"}

    answer = signed_call(one_text("wamid.front.hdr.1"), **proto)
    from_view = payloads.post(meta, one_text("wamid.front.hdr.2"), **proto)

    assert answer.status_code == from_view.status_code == 200
    assert _comparable(answer.headers) == _comparable(from_view.headers)
    assert ("Strict-Transport-Security" in answer.headers) is secure
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert len(answer.headers["X-Request-ID"]) == 32  # ours, the caller sent none


def _comparable(headers) -> dict[str, str]:
    return {name.lower(): value for name, value in dict(headers).items() if name.lower() != "x-request-id"}


@pytest.mark.django_db
def test_a_redelivery_is_answered_and_queues_nothing(hotel_sol, queued):
    signed_call(one_text("wamid.front.again"))

    again = signed_call(one_text("wamid.front.again"))

    assert again.content == b'{"received":1,"stored":0,"statuses":0,"dropped":0}'
    assert len(rows()) == 1 and len(queued) == 1


@pytest.mark.django_db
def test_several_messages_in_one_delivery_are_each_stored_and_queued(hotel_sol, queued):
    delivery = payloads.delivery(payloads.change(payloads.SOL_NUMBER_ID, messages=[
        payloads.text("wamid.front.m1", "hola"), payloads.text("wamid.front.m2", "somos dos")]))

    answer = signed_call(delivery)

    assert answer.content == b'{"received":2,"stored":2,"statuses":0,"dropped":0}'
    assert [external_id for external_id, _text, _status in rows()] == ["wamid.front.m1", "wamid.front.m2"]
    assert len(queued) == 2


@pytest.mark.django_db
def test_the_slashless_spelling_is_taken_too(hotel_sol, queued, monkeypatch):
    taken = front_answered(monkeypatch)

    answer = signed_call(one_text("wamid.front.noslash"), path=URL.rstrip("/"))

    assert (answer.status_code, taken) == (200, [True])
    assert len(rows()) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(("payload", "headers", "status", "audited"), [
    (None, {}, 401, "webhook_signature_missing"),
    (None, {"HTTP_X_HUB_SIGNATURE_256": "sha256=" + "0" * 64}, 403, "webhook_signature_invalid"),
    (b"{not json", None, 400, "webhook_payload_invalid"),
    ({"object": "page", "entry": []}, None, 400, "webhook_payload_invalid"),
])
def test_what_the_front_declines_the_view_answers_and_audits(
        hotel_sol, queued, suspicious_actions, monkeypatch, payload, headers, status, audited):
    taken = front_answered(monkeypatch)
    if payload is None:
        body, _signature = payloads.signed(one_text("wamid.front.refused"))
    else:
        body, signature = payloads.signed(payload)
        headers = {"HTTP_X_HUB_SIGNATURE_256": signature}

    answer = call(body, **headers)

    assert answer.status_code == status
    assert json.loads(answer.content)["error"]
    assert taken == [False]
    assert suspicious_actions() == [audited]
    assert rows() == [] and queued == []


@pytest.mark.django_db
def test_a_delivery_with_messages_and_statuses_is_taken_whole(hotel_sol, queued, monkeypatch, sol_reply):
    taken = front_answered(monkeypatch)
    delivery = payloads.delivery(payloads.change(
        payloads.SOL_NUMBER_ID, messages=[payloads.text("wamid.front.st", "hola")],
        statuses=[payloads.status(sol_reply.external_id, "delivered", timestamp=int(time.time()))]))

    answer = signed_call(delivery)

    assert answer.content == b'{"received":1,"stored":1,"statuses":1,"dropped":0}'
    assert taken == [True]
    assert [row for row in rows() if row[0] == "wamid.front.st"] == [("wamid.front.st", "hola", "received")]
    assert len(queued) == 1
    sol_reply.refresh_from_db()
    assert sol_reply.status == "delivered"


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["delivered", "read"])
def test_a_status_delivery_is_applied_as_the_view_applies_it(meta, hotel_sol, sol_reply, monkeypatch, state):
    taken = front_answered(monkeypatch)
    statuses = [payloads.status(sol_reply.external_id, state, timestamp=int(time.time()))]

    answer = signed_call(payloads.delivery(payloads.change(payloads.SOL_NUMBER_ID, statuses=statuses)))
    again = payloads.post(meta, payloads.delivery(payloads.change(payloads.SOL_NUMBER_ID, statuses=statuses)))

    assert taken == [True]
    assert answer.content == again.content == b'{"received":0,"stored":0,"statuses":1,"dropped":0}'
    sol_reply.refresh_from_db()
    assert sol_reply.status == state


@pytest.mark.django_db
def test_a_status_about_another_numbers_reply_goes_to_the_view_and_is_audited(
        hotel_sol, other_tenant, harbor_number, queued, suspicious_actions, monkeypatch):
    from tests.factories import OutboundMessageFactory

    harbor_reply = OutboundMessageFactory(
        inbound__conversation__tenant=other_tenant, inbound__account_external_id=payloads.HARBOR_NUMBER_ID,
        external_id="wamid.harbor.front", status="sent")
    taken = front_answered(monkeypatch)
    delivery = payloads.delivery(payloads.change(
        payloads.SOL_NUMBER_ID, messages=[payloads.text("wamid.front.probe", "hola")],
        statuses=[payloads.status("wamid.harbor.front", "read", timestamp=int(time.time()))]))

    answer = signed_call(delivery)

    assert taken == [False]  # nothing stored by the front: the view stores and audits
    assert answer.content == b'{"received":1,"stored":1,"statuses":1,"dropped":0}'
    assert suspicious_actions() == ["webhook_status_foreign_account"]
    harbor_reply.refresh_from_db()
    assert harbor_reply.status == "sent"
    assert [row[0] for row in rows()].count("wamid.front.probe") == 1 and len(queued) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("environ", [
    {"HTTP_COOKIE": "sessionid=x"},
    {"HTTP_ACCEPT_LANGUAGE": "es-ES,es;q=0.9"},
    {"SCRIPT_NAME": "/hotelagent"},
])
def test_requests_the_answer_would_depend_on_are_left_to_django(hotel_sol, queued, monkeypatch, environ):
    taken = front_answered(monkeypatch)

    answer = signed_call(one_text("wamid.front.django"), **environ)

    assert answer.status_code == 200 and taken == []
    assert len(rows()) == 1 and len(queued) == 1


@pytest.mark.django_db
def test_a_host_django_refuses_is_refused(hotel_sol, queued, settings):
    settings.ALLOWED_HOSTS = ["hotel.example"]

    answer = signed_call(one_text("wamid.front.host"), HTTP_HOST="evil.example")

    assert answer.status_code == 400
    assert rows() == []


@pytest.mark.django_db
def test_plain_http_is_redirected_where_https_is_required(hotel_sol, queued, settings):
    settings.SECURE_SSL_REDIRECT = True

    plain = signed_call(one_text("wamid.front.http"))
    secure = signed_call(one_text("wamid.front.https"), HTTP_X_FORWARDED_PROTO="https")

    assert plain.status_code == 301 and plain.headers["Location"].startswith("https://")
    assert secure.status_code == 200
    assert [external_id for external_id, _text, _status in rows()] == ["wamid.front.https"]


@pytest.mark.django_db
def test_a_body_over_the_upload_limit_gets_djangos_400(hotel_sol, queued, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100

    answer = signed_call(one_text("wamid.front.big", "x" * 200))

    assert answer.status_code == 400
    assert rows() == []


@pytest.mark.django_db
def test_when_the_front_fails_django_answers_and_nothing_is_stored_twice(
        hotel_sol, queued, monkeypatch, caplog):
    from webhooks import fast_path

    real_store, failures = fast_path.store_inbound, []

    def store_then_fail(message):
        real_store(message)
        if not failures:
            failures.append(message.message_id)
            raise OperationalError("the connection dropped after the INSERT")

    monkeypatch.setattr(fast_path, "store_inbound", store_then_fail)

    with caplog.at_level(logging.ERROR, logger="hotelagent.intake_wsgi"):
        answer = signed_call(one_text("wamid.front.fails"))

    assert answer.status_code == 200  # the view answered: the row was there already
    assert answer.content == b'{"received":1,"stored":0,"statuses":0,"dropped":0}'
    assert [external_id for external_id, _text, _status in rows()] == ["wamid.front.fails"]
    assert "not taken by the WSGI front" in caplog.text


@pytest.mark.django_db
def test_metrics_and_autoscaling_count_it_as_the_middleware_would(hotel_sol, queued, monkeypatch, settings):
    settings.SCALING_COUNTS_WRITE_SECONDS = 0
    taken = front_answered(monkeypatch)
    labels = {"status": "200", "view": "whatsapp-webhook", "method": "POST"}
    before = REGISTRY.get_sample_value("django_http_responses_total_by_status_view_method_total", labels) or 0
    latency_before = REGISTRY.get_sample_value(
        "django_http_requests_latency_seconds_by_view_method_count",
        {"view": "whatsapp-webhook", "method": "POST"}) or 0
    counters.add_many(batch.take())  # what earlier tests left to write
    minute = counters.minute_of(time.time())
    requests_before = counters.read_minute(minute).requests

    signed_call(one_text("wamid.front.metrics"))

    assert taken == [True]
    assert REGISTRY.get_sample_value("django_http_responses_total_by_status_view_method_total", labels) \
        == before + 1
    assert REGISTRY.get_sample_value("django_http_requests_latency_seconds_by_view_method_count",
                                     {"view": "whatsapp-webhook", "method": "POST"}) == latency_before + 1
    assert counters.read_minute(minute).requests == requests_before + 1


@pytest.mark.django_db
def test_a_plain_delivery_is_one_statement(hotel_sol, queued, django_assert_max_num_queries):
    signed_call(one_text("wamid.front.warm"))  # the number's routing is cached from here on

    with django_assert_max_num_queries(1):
        answer = signed_call(one_text("wamid.front.counted"))

    assert answer.content == ANSWERED


@pytest.mark.django_db(transaction=True)
def test_connections_open_and_close_as_for_any_request(hotel_sol, queued, transactional_db):
    from django.db import connection

    for n in range(3):
        assert signed_call(one_text(f"wamid.front.lifecycle.{n}")).status_code == 200
    connection.close()  # as if the database had dropped it between requests

    assert signed_call(one_text("wamid.front.lifecycle.after")).status_code == 200
    assert len(rows()) == 4 and len(queued) == 4
