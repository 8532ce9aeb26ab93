"""Managers store the templates Meta approved; staff replies past the 24-hour
window go out as the hotel's staff reply template instead of being refused."""
import datetime
import html

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from security.models import AuditEvent
from tests.factories import ConversationFactory, InboundMessageFactory
from webhooks.models import Conversation, MessageTemplate, OutboundMessage

from .pages import admin_url, rows

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def eager_sending(settings, graph_api):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.WHATSAPP_ACCESS_TOKEN = "graph-token"
    return graph_api


def staff_reply_template(tenant, language="es", **fields):
    with scopes_disabled():
        return MessageTemplate.objects.create(
            tenant=tenant, purpose="staff_reply", name=f"respuesta_{language.lower()}", language=language,
            parameters=["hotel_name", "text"], **fields,
        )


def handed_over(tenant, *, hours_ago: float):
    conversation = ConversationFactory(tenant=tenant, needs_staff=True)
    InboundMessageFactory(conversation=conversation, text="¿Tenéis parking?",
                          sent_at=timezone.now() - datetime.timedelta(hours=hours_ago))
    return conversation


def reply_url(conversation) -> str:
    return admin_url(Conversation, "change", conversation.pk).replace("/change/", "/reply/")


def add_form(**fields) -> dict:
    return {"tenant": "", "purpose": "pre_arrival", "name": "pre_arrival_v2", "language": "es",
            "category": "utility", "parameters": "guest_name, reservation_code, check_in_date",
            "is_active": "on", **fields}


def test_a_manager_adds_a_template_typing_the_parameters_in_order(as_manager, tenant):
    response = as_manager.post(admin_url(MessageTemplate, "add"), add_form(tenant=tenant.pk))

    assert response.status_code == 302
    with scopes_disabled():
        stored = MessageTemplate.objects.get()
    assert (stored.tenant, stored.name, stored.language) == (tenant, "pre_arrival_v2", "es")
    assert stored.parameters == ["guest_name", "reservation_code", "check_in_date"]


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"parameters": "guest_name, shoe_size"}, "parameters", "Unknown for this purpose: shoe_size"),
    ({"parameters": "guest_name, guest_name"}, "parameters", "Each parameter at most once"),
    ({"name": "Pre Arrival!"}, "name", "Lower-case letters, digits and underscores"),
    ({"language": "spanish"}, "language", "A Meta language code such as es, en or en_US"),
])
def test_a_wrong_template_is_refused_with_the_reason_on_its_field(as_manager, tenant, fields, field, message):
    response = as_manager.post(admin_url(MessageTemplate, "add"), add_form(tenant=tenant.pk, **fields))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in " ".join(errors[field])
    with scopes_disabled():
        assert not MessageTemplate.objects.exists()


def test_the_form_lists_every_purposes_parameters(as_manager, tenant):
    page = html.unescape(as_manager.get(admin_url(MessageTemplate, "add")).content.decode())

    assert "post_stay_survey" in page
    assert "guest_link" in page


def test_staff_see_their_hotels_templates_only_and_cannot_change_them(as_staff, tenant, other_tenant):
    own = staff_reply_template(tenant)
    staff_reply_template(other_tenant, language="en")

    listed = rows(as_staff.get(admin_url(MessageTemplate, "changelist")))
    assert len(listed) == 1
    response = as_staff.post(admin_url(MessageTemplate, "change", own.pk), add_form(tenant=tenant.pk))
    assert response.status_code == 403


def test_past_the_window_a_staff_reply_goes_as_the_staff_reply_template(
    as_staff, tenant, graph_api, django_capture_on_commit_callbacks
):
    approved = staff_reply_template(tenant)
    conversation = handed_over(tenant, hours_ago=30)

    page = html.unescape(as_staff.get(admin_url(Conversation, "change", conversation.pk)).content.decode())
    assert "goes out as the approved template “respuesta_es” (es)" in page
    assert 'id="reply-send" disabled' not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = as_staff.post(reply_url(conversation), {"text": "Sí, tenemos parking\ngratuito."})

    assert response.status_code == 302
    with scopes_disabled():
        reply = OutboundMessage.objects.get(conversation=conversation)
        event = AuditEvent.objects.get(action="staff_reply_sent")
    assert (reply.status, reply.template, reply.purpose) == ("sent", approved, "staff_reply")
    [request] = graph_api.requests
    assert request["json"]["type"] == "template"
    assert request["json"]["template"]["components"][0]["parameters"] == [
        {"type": "text", "text": "Hotel Sol"}, {"type": "text", "text": "Sí, tenemos parking gratuito."},
    ]
    assert event.details["as_template"] is True


def test_within_the_window_a_staff_reply_is_free_text_even_with_a_template(
    as_staff, tenant, graph_api, django_capture_on_commit_callbacks
):
    staff_reply_template(tenant)
    conversation = handed_over(tenant, hours_ago=1)

    with django_capture_on_commit_callbacks(execute=True):
        as_staff.post(reply_url(conversation), {"text": "Sí, tenemos parking."})

    assert graph_api.requests[0]["json"]["text"]["body"] == "Sí, tenemos parking."


def test_an_inactive_or_other_hotels_template_does_not_open_the_way(as_staff, tenant, other_tenant,
                                                                   graph_api):
    staff_reply_template(tenant, is_active=False)
    staff_reply_template(other_tenant)
    conversation = handed_over(tenant, hours_ago=30)

    response = as_staff.post(reply_url(conversation), {"text": "Sí, tenemos parking."})

    assert response.status_code == 409
    assert "no active staff reply template" in html.unescape(response.content.decode())
    assert graph_api.requests == []
