"""Talk to the agent in the terminal, exactly as a guest on the web chat would."""
from django.core.management.base import BaseCommand, CommandError

from tenants.models import Tenant
from webhooks.models import Conversation
from webhooks.webchat import WEB_CHANNEL, web_message_reply

QUIT_WORDS = {"/quit", "/exit", "/salir"}


class Command(BaseCommand):
    help = "Chat with a hotel's agent as a guest (Ctrl-D or /quit to leave)."

    def add_arguments(self, parser):
        parser.add_argument("--tenant", required=True, help="Hotel slug, e.g. hotel-sol")
        parser.add_argument("--sender", default="terminal-guest", help="Guest id to talk as")
        parser.add_argument("--lang", choices=["es", "en"], help="Start in this language")

    def handle(self, *args, tenant: str, sender: str, lang: str | None, **options):
        hotel = Tenant.objects.filter(slug=tenant).first()
        if hotel is None:
            raise CommandError(f"No hotel with slug {tenant!r}.")
        if lang:
            self._start_in(hotel, sender, lang)
        self.stdout.write(f"Talking to {hotel.name} as {sender}. /quit to leave.")
        while True:
            try:
                text = input("guest> ").strip()
            except EOFError:
                self.stdout.write("")
                return
            if text in QUIT_WORDS:
                return
            if not text:
                continue
            reply = web_message_reply(tenant=hotel, sender=sender, text=text)
            self.stdout.write(f"{hotel.name}> {reply.text or '(a member of staff will answer)'}")

    @staticmethod
    def _start_in(hotel: Tenant, sender: str, lang: str) -> None:
        conversation = (
            Conversation.objects.with_scope(tenant=hotel)
            .filter(channel=WEB_CHANNEL, guest_id=sender).order_by("-last_activity_at").first()
        )
        if conversation is None or conversation.is_expired():
            Conversation.objects.create(tenant=hotel, channel=WEB_CHANNEL, guest_id=sender, language=lang)
        else:
            conversation.language = lang
            conversation.save(update_fields=["language"])
