"""A receptionist answers a guest the agent handed over, from the inbox to the
guest's phone (the Graph API stand-in)."""
from django.urls import reverse
from django_scopes import scopes_disabled

from tests.browser.conftest import sign_in
from tests.factories import InboundMessageFactory
from webhooks.models import Conversation, OutboundMessage


def test_front_desk_answers_a_handed_over_conversation(page, front_desk, tenant, graph_api, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.WHATSAPP_ACCESS_TOKEN = "graph-token"
    question = InboundMessageFactory(
        conversation__tenant=tenant, conversation__needs_staff=True, conversation__guest_name="Marta Ruiz",
        text="¿Puedo llegar a las 2 de la madrugada?",
    )
    InboundMessageFactory(conversation__tenant=tenant, conversation__guest_name="Tom Baker",
                          text="Is breakfast included?")
    sign_in(page, "lucia")

    page.open(reverse("admin:webhooks_conversation_changelist"))
    page.wait_for_text("#result_list", "Marta Ruiz")
    page.shot("inbox")
    page.find(f'#result_list a[href$="/conversation/{question.conversation_id}/change/"]').click()

    page.wait_for("#reply-text").send_keys("Sí, la recepción abre 24 h. ¡Buen viaje!")
    page.find("#reply-send").click()

    assert "Your reply is on its way to the guest." in page.wait_for_text("ul.messagelist", "on its way")
    hotel_side = page.wait_for_text(".thread li.hotel", "Buen viaje")
    assert "Lucía Pérez" in hotel_side
    assert graph_api.sent_texts == ["Sí, la recepción abre 24 h. ¡Buen viaje!"]
    with scopes_disabled():
        assert OutboundMessage.objects.get(conversation_id=question.conversation_id).sent_by == front_desk
        assert Conversation.objects.get(pk=question.conversation_id).needs_staff is True
    page.shot("conversation")
