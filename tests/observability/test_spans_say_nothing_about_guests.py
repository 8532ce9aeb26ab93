"""No span repeats what a guest said or who they are, nor a secret: a whole
WhatsApp booking, a partner's booking through the API and a guest link, on
whatever databases the suite runs (psycopg and Redis spans included when there)."""
import httpx
import pytest
from django.conf import settings
from django.db import connection

from hotelagent import telemetry

from . import traffic

pytestmark = pytest.mark.django_db


def everything_said(span) -> str:
    """The span's name and every attribute value, its events' included."""
    values = [span.name, *map(str, span.attributes.values())]
    for event in span.events:
        values += [event.name, *map(str, (event.attributes or {}).values())]
    return "\n".join(values)


def test_no_span_holds_guest_data_or_secrets(client, hotel_sol, graph_api, spans):
    said = traffic.book_over_whatsapp(client, graph_api, hotel_sol)
    api_key = traffic.book_through_the_api(client, hotel_sol)
    token = traffic.open_guest_link(client)

    finished = spans.get_finished_spans()
    text = "\n".join(map(everything_said, finished)).casefold()
    forbidden = traffic.secrets_and_guest_data(said, api_key, token)
    assert [value for value in forbidden if value.casefold() in text] == []
    names = {span.name for span in finished}
    assert {"POST webhooks/whatsapp/", "POST api/v1/reservations/", "GET r/<str:token>/"} <= names
    systems = {span.attributes.get("db.system") for span in finished}
    if connection.vendor == "postgresql":
        assert "postgresql" in systems  # SQL with placeholders, no parameters
    if settings.REDIS_URL:
        assert "redis" in systems  # the command and a ? per argument, no keys


def test_the_guest_link_span_names_the_route_not_the_token(client, hotel_sol, graph_api, spans):
    traffic.book_over_whatsapp(client, graph_api, hotel_sol)
    spans.clear()

    token = traffic.open_guest_link(client)

    page = next(span for span in spans.get_finished_spans() if span.name == "GET r/<str:token>/")
    assert page.attributes["http.url"] == "http://testserver/r/<str:token>/"
    assert page.attributes["hotelagent.tenant"] == "hotel-sol"
    assert token not in everything_said(page)


def test_a_query_string_stays_out_of_request_and_client_spans(client, spans):
    client.get("/api/v1/availability/?check_in=2030-01-01&guest=ana.garcia@example.com")
    with telemetry._provider.get_tracer(__name__).start_as_current_span("a task"), \
            pytest.raises(httpx.HTTPError):  # QloApps looks customers up like this
        httpx.get("http://127.0.0.1:9/api/customers?filter[email]=[ana.garcia@example.com]", timeout=0.5)

    text = "\n".join(map(everything_said, spans.get_finished_spans()))
    assert "ana.garcia" not in text
    assert "http://127.0.0.1:9/api/customers" in text
