"""Each WhatsApp number sends with its own access token, kept in the secret store;
a missing or rejected token fails the reply at once, says why, and shows."""
import logging

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from security.models import AuditEvent, ManagedSecret
from security.secret_store import secret_create
from tests.factories import ChannelAccountFactory, ConversationFactory, MembershipFactory
from webhooks.models import OutboundMessage
from webhooks.tasks import send_outbound_message

from .payloads import SOL_NUMBER_ID

pytestmark = pytest.mark.django_db

GUEST = "34612345678"
TOKEN_NAME = f"whatsapp_access_token:{SOL_NUMBER_ID}"


def reply_to_guest(tenant, text="¡Hola!"):
    with scopes_disabled():
        return OutboundMessage.objects.create(tenant=tenant, channel="whatsapp", recipient_id=GUEST,
                                              account_external_id=SOL_NUMBER_ID, text=text)


def attempt(reply):
    send_outbound_message.apply(args=[reply.pk]).get()
    with scopes_disabled():
        return OutboundMessage.objects.get(pk=reply.pk)


def store_token(tenant, value):
    secret_create(TOKEN_NAME, tenant, value=value, actor="test")


@pytest.fixture
def no_fallback(settings):
    settings.WHATSAPP_ACCESS_TOKEN = ""


@pytest.fixture
def manager(client, tenant):
    user = MembershipFactory(tenant=tenant, role="manager").user
    client.force_login(user)
    return user


def channel_url(account):
    return f"/admin/tenants/channelaccount/{account.pk}/change/"


def channel_form(account, **changes):
    return {"tenant": account.tenant_id, "channel": "whatsapp", "external_id": account.external_id,
            "business_account_id": "", "display_address": "", "access_token": "", **changes}


# --- which token goes out --------------------------------------------------------

def test_the_numbers_own_token_is_sent_rather_than_the_fallback(hotel_sol, graph_api):
    store_token(hotel_sol, "EAAG-sol-own-token")

    assert attempt(reply_to_guest(hotel_sol)).status == "sent"
    assert graph_api.requests[0]["authorization"] == "Bearer EAAG-sol-own-token"


def test_a_number_without_its_own_token_uses_the_deployments(hotel_sol, graph_api):
    assert attempt(reply_to_guest(hotel_sol)).status == "sent"
    assert graph_api.requests[0]["authorization"] == "Bearer graph-token"


def test_each_hotel_sends_with_its_own_token(hotel_sol, other_tenant, graph_api):
    ChannelAccountFactory(tenant=other_tenant, external_id="200000000000002")
    store_token(hotel_sol, "sol-token")
    secret_create("whatsapp_access_token:200000000000002", other_tenant, value="harbor-token")
    with scopes_disabled():
        harbor = OutboundMessage.objects.create(tenant=other_tenant, channel="whatsapp", text="Hi",
                                                account_external_id="200000000000002", recipient_id=GUEST)

    attempt(reply_to_guest(hotel_sol))
    attempt(harbor)

    assert [(r["path"], r["authorization"]) for r in graph_api.requests] == [
        (f"/v21.0/{SOL_NUMBER_ID}/messages", "Bearer sol-token"),
        ("/v21.0/200000000000002/messages", "Bearer harbor-token"),
    ]


# --- missing or rejected: failed at once, with the reason -----------------------

def test_no_token_at_all_fails_the_reply_at_once_without_calling_meta(hotel_sol, graph_api, no_fallback):
    failed = attempt(reply_to_guest(hotel_sol))

    assert (failed.status, failed.attempts, failed.error["reason"]) == ("failed", 1, "access_token_missing")
    assert "save one on its channel account" in failed.error["detail"]
    assert graph_api.requests == []


@pytest.mark.parametrize("status", [401, 403])
def test_meta_refusing_the_token_fails_the_reply_at_once(hotel_sol, graph_api, status):
    graph_api.answer(status, {"error": {"message": "Invalid OAuth access token.", "code": 190}})

    failed = attempt(reply_to_guest(hotel_sol))

    assert (failed.status, failed.attempts, failed.error["reason"]) == ("failed", 1, "access_token_rejected")
    assert failed.error["http_status"] == status
    assert len(graph_api.requests) == 1  # no retry


def test_a_token_with_a_line_break_fails_clearly_instead_of_retrying(hotel_sol, graph_api):
    store_token(hotel_sol, "EAAG\nbroken")

    failed = attempt(reply_to_guest(hotel_sol))

    assert (failed.status, failed.error["reason"]) == ("failed", "access_token_invalid")


def test_a_token_with_an_accent_fails_clearly_too(hotel_sol, graph_api):
    store_token(hotel_sol, "EAAGé")

    assert attempt(reply_to_guest(hotel_sol)).error["reason"] == "access_token_invalid"


def test_the_admin_refuses_a_token_with_a_space(client, manager, sol_number):
    response = client.post(channel_url(sol_number), channel_form(sol_number, access_token="EAAG token"))

    assert response.status_code == 200 and "no spaces" in response.text
    assert not ManagedSecret.objects.with_scopes_disabled().filter(name=TOKEN_NAME).exists()


def test_error_is_logged_once_for_the_channel_not_for_every_reply(hotel_sol, graph_api, no_fallback, caplog):
    with caplog.at_level(logging.WARNING):
        for n in range(3):
            attempt(reply_to_guest(hotel_sol, text=f"reply {n}"))

    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert SOL_NUMBER_ID in errors[0].getMessage() and "missing" in errors[0].getMessage()


# --- where it shows: health, banners ----------------------------------------------

def test_health_lists_the_number_as_degraded(client, hotel_sol, graph_api):
    graph_api.answer(401)
    attempt(reply_to_guest(hotel_sol))

    response = client.get("/health/ready")

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["degraded"]["whatsapp"] == {
        "credentials": {SOL_NUMBER_ID: {"hotel": "hotel-sol", "token": "rejected"}}}


def test_a_send_that_succeeds_clears_the_flag(client, hotel_sol, graph_api):
    graph_api.answer(401)
    attempt(reply_to_guest(hotel_sol))

    assert attempt(reply_to_guest(hotel_sol)).status == "sent"
    assert client.get("/health/ready").json()["status"] == "ok"


def test_saving_a_new_token_clears_the_flag_and_is_used(client, manager, hotel_sol, sol_number, graph_api):
    graph_api.answer(401)
    attempt(reply_to_guest(hotel_sol))
    hotel_page = f"/admin/tenants/tenant/{hotel_sol.pk}/change/"
    assert "whatsapp-credentials-banner" in client.get(hotel_page).text

    response = client.post(channel_url(sol_number), channel_form(sol_number, access_token="EAAG-new"))

    assert response.status_code == 302
    assert client.get("/health/ready").json()["status"] == "ok"
    assert "whatsapp-credentials-banner" not in client.get(hotel_page).text
    attempt(reply_to_guest(hotel_sol))
    assert graph_api.requests[-1]["authorization"] == "Bearer EAAG-new"


def test_the_conversation_page_of_that_number_shows_the_banner(client, manager, hotel_sol, sol_number,
                                                              graph_api):
    conversation = ConversationFactory(tenant=hotel_sol, channel_account=sol_number, guest_id=GUEST)
    url = f"/admin/webhooks/conversation/{conversation.pk}/change/"
    assert "whatsapp-credentials-banner" not in client.get(url).text

    graph_api.answer(403)
    attempt(reply_to_guest(hotel_sol))

    assert "whatsapp-credentials-banner" in client.get(url).text


# --- the admin: write-only, masked, versioned, per hotel ------------------------

def test_the_token_is_never_shown_again_only_its_masked_status(client, manager, sol_number):
    client.post(channel_url(sol_number), channel_form(sol_number, access_token="EAAG-secret-value"))

    page = client.get(channel_url(sol_number)).text

    assert "EAAG-secret-value" not in page
    assert "set, version 1," in page
    hotel_page = client.get(f"/admin/tenants/tenant/{sol_number.tenant_id}/change/").text
    assert "EAAG-secret-value" not in hotel_page and "set, version 1," in hotel_page


def test_a_number_without_a_token_says_missing(client, manager, sol_number, no_fallback):
    assert "missing" in client.get(channel_url(sol_number)).text


def test_each_save_adds_a_version_audited_without_the_value(client, manager, sol_number):
    client.post(channel_url(sol_number), channel_form(sol_number, access_token="first-token"))
    client.post(channel_url(sol_number), channel_form(sol_number, access_token="second-token"))
    client.post(channel_url(sol_number), channel_form(sol_number, business_account_id="987654321"))

    with scopes_disabled():
        versions = list(ManagedSecret.objects.filter(name=TOKEN_NAME).values_list("version", flat=True))
        events = list(AuditEvent.objects.filter(event_type=AuditEvent.Type.SECRET_ROTATED,
                                                resource=f"secret:{TOKEN_NAME}"))
    assert sorted(versions) == [1, 2]
    assert [event.actor for event in events] == [f"user:{manager.pk}"] * 2
    assert all("token" not in str(event.details).replace(TOKEN_NAME, "") for event in events)
    assert "set, version 2," in client.get(channel_url(sol_number)).text
    sol_number.refresh_from_db()
    assert sol_number.business_account_id == "987654321"


def test_staff_who_may_only_look_see_the_status_and_no_token_field(client, sol_number, staff_member):
    store_token(sol_number.tenant, "EAAG-secret-value")
    client.force_login(staff_member)

    for url in (channel_url(sol_number), f"/admin/tenants/tenant/{sol_number.tenant_id}/change/"):
        page = client.get(url)
        assert page.status_code == 200
        assert "set, version 1," in page.text
        assert 'type="password"' not in page.text and "EAAG-secret-value" not in page.text


def test_a_token_is_refused_for_a_web_chat_channel(client, manager, tenant):
    web = ChannelAccountFactory(tenant=tenant, channel="web", external_id="widget-1")

    response = client.post(channel_url(web), channel_form(web, channel="web", access_token="x"))

    assert response.status_code == 200
    assert "Only WhatsApp channels have an access token." in response.text
    assert not ManagedSecret.objects.with_scopes_disabled().filter(name__startswith="whatsapp").exists()


def test_another_hotels_manager_can_neither_see_nor_set_the_token(client, sol_number, other_tenant):
    client.force_login(MembershipFactory(tenant=other_tenant, role="manager").user)

    assert client.get(channel_url(sol_number)).status_code in (302, 404)
    client.post(channel_url(sol_number), channel_form(sol_number, access_token="hijack"))

    assert not ManagedSecret.objects.with_scopes_disabled().filter(name=TOKEN_NAME).exists()


# --- manage.py check ---------------------------------------------------------------

def test_check_warns_about_numbers_with_no_token_and_no_fallback(sol_number, no_fallback, capsys):
    call_command("check")

    warnings = capsys.readouterr().err
    assert "webhooks.W001" in warnings and SOL_NUMBER_ID in warnings


def test_check_is_quiet_once_the_number_has_a_token(sol_number, no_fallback, capsys):
    store_token(sol_number.tenant, "EAAG-token")

    call_command("check")

    assert "webhooks.W001" not in capsys.readouterr().err
