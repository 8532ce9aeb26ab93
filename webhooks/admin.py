"""Conversations and their messages in the back office.

Staff read the conversations as an inbox (unread first), answer a guest from
the conversation's page (webhooks.conversations.staff_reply_send: the agent's
outbound road, within WhatsApp's 24-hour window), take a conversation over from
the agent and hand it back, and push a stuck message along: process a failed
guest message again, resend a failed reply. Canned replies are the hotel's own.
Messages are the channel's record, so nobody adds, edits or deletes them here,
and every change goes through webhooks.conversations, which audits it.
Like every screen, each hotel's staff see their hotel only.
"""
import copy

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ORDER_VAR, ChangeList
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.defaultfilters import truncatechars
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from security.audit import client_ip
from tenants.admin import tenant_filter
from tenants.admin_scoping import MEMBERS, ReadOnlyMixin, TenantScopedAdmin

from .agent.state import State, state_label
from .conversations import (
    AttachmentRefused,
    ReplyRefused,
    WindowClosed,
    conversation_mark_read,
    conversation_release,
    conversation_take_over,
    inbound_reprocess,
    outbound_retry,
    staff_reply_send,
)
from .front_desk import duration_label
from .gateway import MAX_TEXT_LENGTH
from .media import downloaded_media
from .models import CannedReply, Conversation, InboundMessage, OutboundMessage
from .selectors import (
    as_inbox,
    canned_replies_for,
    conversation_thread,
    reply_window,
    reservations_by_guest,
    staff_reply_template,
)

EXCERPT_LENGTH = 60


class ReadOnlyAdmin(ReadOnlyMixin, TenantScopedAdmin, admin.ModelAdmin):
    """Looked at, never added, edited or deleted; actions are the only writes."""

    action_roles = MEMBERS

    def has_act_permission(self, request, obj=None):
        return request.user.is_superuser or self.has_role(request, self.action_roles, obj)

    def acted_on(self, request, queryset):
        """The selected rows of hotels where the user may act (a queryset from the
        change list is already limited to the hotels they see)."""
        return self.for_roles(request, queryset, self.action_roles).select_related("tenant")


class MessageAdmin(ReadOnlyAdmin):
    """A guest's message or a hotel's reply, with a link to its conversation's thread."""

    readonly_fields = ("conversation_link",)

    @admin.display(description=gettext_lazy("conversation"))
    def conversation_link(self, message):
        if message.conversation_id is None:
            return "-"
        url = reverse("admin:webhooks_conversation_change", args=[message.conversation_id])
        return format_html('<a href="{}">{}</a>', url, _("Open the thread"))


class NeedsStaffFilter(admin.SimpleListFilter):
    title = gettext_lazy("Needs staff")
    parameter_name = "needs_staff"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes: handed over, the agent is quiet")), ("no", _("No: the agent answers"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(needs_staff=self.value() == "yes")
        return queryset


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your reply"), max_length=MAX_TEXT_LENGTH, strip=True,
        widget=forms.Textarea(attrs={"rows": 4, "id": "reply-text"}),
        error_messages={"required": gettext_lazy("Write a reply first.")},
    )
    attachment = forms.URLField(
        label=gettext_lazy("Image or PDF (link)"), required=False, max_length=2000, assume_scheme="https",
        widget=forms.URLInput(attrs={"id": "reply-attachment", "placeholder": "https://…/habitacion.jpg"}),
        help_text=gettext_lazy("Optional: a public https link to a JPEG/PNG image or a PDF; your text "
                               "goes as its caption."),
    )
    upload = forms.FileField(
        label=gettext_lazy("…or upload one"), required=False,
        widget=forms.ClearableFileInput(attrs={"id": "reply-upload", "accept": ".jpg,.jpeg,.png,.pdf"}),
        help_text=gettext_lazy("JPEG or PNG up to 5 MB, or a PDF."),
    )


RESERVATIONS_SHOWN = 3


class InboxChangeList(ChangeList):
    """Unread conversations first, unless staff sort by a column themselves."""

    def get_ordering(self, request, queryset):
        ordering = super().get_ordering(request, queryset)
        return ordering if ORDER_VAR in self.params else ["-unread", *ordering]


class StateFilter(admin.SimpleListFilter):
    """The agent's states by what they mean, not their stored names."""

    title = gettext_lazy("what the agent is waiting for")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        """The states some conversation is in, as Django's own filter would offer them."""
        present = set(model_admin.get_queryset(request).order_by().values_list("state", flat=True).distinct())
        return [(state.value, state_label(state)) for state in State if state.value in present]

    def queryset(self, request, queryset):
        if self.value() in {state.value for state in State}:
            return queryset.filter(state=self.value())
        return queryset


@admin.register(Conversation)
class ConversationAdmin(ReadOnlyAdmin):
    """The change list is the front desk's inbox (webhooks.selectors.as_inbox):
    unread first, the last message, how long the guest has waited and their
    reservations at the hotel. The change page shows the thread (guest on the
    left, hotel on the right) with the reply box, from
    templates/admin/webhooks/conversation/change_form.html."""

    list_display = (
        "guest", "preview", "waiting", "guest_reservations", "handled_by", "last_activity_at", "tenant",
    )
    list_filter = (NeedsStaffFilter, "channel", "language", StateFilter, tenant_filter)
    search_fields = ("guest_id", "guest_phone", "guest_name")
    list_select_related = ("tenant",)
    fields = (
        "tenant", "guest_name", "guest_id", "guest_phone", "channel", "channel_account", "language",
        "agent_state", "slots", "needs_staff", "staff_read_at", "last_activity_at", "created_at",
    )
    actions = ["release_selected"]

    def get_queryset(self, request):
        return as_inbox(super().get_queryset(request))

    def get_changelist(self, request, **kwargs):
        return InboxChangeList

    @admin.display(description=gettext_lazy("what the agent is waiting for"))
    def agent_state(self, conversation):
        return state_label(conversation.state)

    def get_changelist_instance(self, request):
        """The page's conversations with their guests' reservations, in one query."""
        changelist = super().get_changelist_instance(request)
        page = list(changelist.result_list)
        found = reservations_by_guest(page)
        for conversation in page:
            key = (conversation.tenant_id, conversation.guest_phone)
            conversation.guest_reservation_list = found.get(key, [])
        return changelist

    @admin.display(description=gettext_lazy("guest"), ordering="guest_name")
    def guest(self, conversation):
        name = (f"{conversation.guest_name} ({conversation.guest_id})" if conversation.guest_name
                else conversation.guest_id)
        if getattr(conversation, "unread", False):
            return format_html('<strong class="unread" title="{}">● {}</strong>', _("Unread"), name)
        return name

    @admin.display(description=gettext_lazy("last message"))
    def preview(self, conversation):
        guest_at = getattr(conversation, "last_guest_at", None)
        reply_at = getattr(conversation, "last_reply_at", None)
        if guest_at is None and reply_at is None:
            return "-"
        if reply_at is None or (guest_at is not None and guest_at >= reply_at):
            return truncatechars(conversation.last_guest_text or "", EXCERPT_LENGTH) or "-"
        text = truncatechars(conversation.last_reply_text, EXCERPT_LENGTH)
        return format_html("<em>{}</em> {}", _("Hotel:"), text)

    @admin.display(description=gettext_lazy("waiting"), ordering="last_guest_at")
    def waiting(self, conversation):
        """How long the guest has waited for an answer, when they are waiting."""
        if not getattr(conversation, "unread", False):
            return "-"
        return duration_label(timezone.now() - conversation.last_guest_at)

    @admin.display(description=gettext_lazy("reservations"))
    def guest_reservations(self, conversation):
        reservations = getattr(conversation, "guest_reservation_list", [])
        if not reservations:
            return "-"
        links = format_html_join(", ", '<a href="{}">{}</a>', (
            (reverse("admin:reservations_reservation_change", args=[r.pk]), r.code)
            for r in reservations[:RESERVATIONS_SHOWN]
        ))
        more = len(reservations) - RESERVATIONS_SHOWN
        return format_html("{} +{}", links, more) if more > 0 else links

    @admin.display(description=gettext_lazy("answered by"), ordering="needs_staff")
    def handled_by(self, conversation):
        return _("Staff") if conversation.needs_staff else _("Agent")

    def _release(self, request, conversation) -> bool:
        return conversation_release(
            conversation=conversation, user=request.user, ip_address=client_ip(request)
        )

    def _take_over(self, request, conversation) -> bool:
        return conversation_take_over(
            conversation=conversation, user=request.user, ip_address=client_ip(request)
        )

    @admin.action(description=gettext_lazy("Give back to the agent"), permissions=["act"])
    def release_selected(self, request, queryset):
        released = sum(self._release(request, c) for c in self.acted_on(request, queryset))
        self.message_user(request, ngettext(
            "%(count)d conversation released to the agent.",
            "%(count)d conversations released to the agent.",
            released,
        ) % {"count": released})

    def get_urls(self):
        def url(route, view, name):
            return path(f"<path:object_id>/{route}/", self.admin_site.admin_view(view),
                        name=f"webhooks_conversation_{name}")

        return [
            url("release", self.release_view, "release"),
            url("take-over", self.take_over_view, "take_over"),
            url("reply", self.reply_view, "reply"),
            url("media", self.media_view, "media"),
            *super().get_urls(),
        ]

    def release_view(self, request, object_id):
        return self.object_button_view(
            request, object_id, permitted=self.has_act_permission, act=self._release,
            done_message=lambda conversation: _("The agent answers this guest again."),
        )

    def take_over_view(self, request, object_id):
        return self.object_button_view(
            request, object_id, permitted=self.has_act_permission, act=self._take_over,
            done_message=lambda conversation: _(
                "You have taken over: the agent stays quiet until you give the conversation back."),
        )

    def reply_view(self, request, object_id):
        """POST `text`: answer the guest. Another hotel's conversation is not
        found, like one that does not exist. A refused reply shows the page again
        with the text kept and the reason on the field (400, or 409 when
        WhatsApp's window has closed); nothing is stored then."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        conversation = self.get_object(request, unquote(object_id))
        if conversation is None:
            raise Http404(_("No such conversation."))
        if not self.has_act_permission(request, conversation):
            raise PermissionDenied
        form, status = ReplyForm(request.POST, request.FILES), 400
        if form.is_valid():
            try:
                staff_reply_send(conversation=conversation, user=request.user,
                                 text=form.cleaned_data["text"], ip_address=client_ip(request),
                                 attachment_url=form.cleaned_data["attachment"],
                                 attachment_file=form.cleaned_data["upload"])
            except ReplyRefused as refused:
                form.add_error("attachment" if isinstance(refused, AttachmentRefused) else "text",
                               refused.message)
                status = 409 if isinstance(refused, WindowClosed) else 400
            else:
                self.message_user(request, _("Your reply is on its way to the guest."))
                change = reverse("admin:webhooks_conversation_change", args=[conversation.pk])
                return HttpResponseRedirect(f"{change}#messages-end")
        page = copy.copy(request)  # the same page, shown again as a GET would show it
        page.method = "GET"
        response = self.change_view(page, object_id, extra_context={"reply_form": form})
        response.status_code = status
        return response

    def media_view(self, request, object_id):
        """GET `?file=<id>`: a guest's image, voice note, video or document, from
        storage, to the staff of its hotel only: another hotel's conversation is
        not found. The file is never sniffed or run as a page; a document is a download."""
        conversation = self.get_object(request, unquote(object_id))
        if conversation is None or not self.has_view_permission(request, conversation):
            raise Http404(_("No such conversation."))
        media = downloaded_media(conversation=conversation, media_pk=request.GET.get("file", ""))
        if media is None:
            raise Http404(_("No such file."))
        response = FileResponse(
            media.file.open("rb"), content_type=media.mime_type,
            as_attachment=media.kind == media.Kind.DOCUMENT,
            filename=media.filename or media.file.name.rsplit("/", 1)[-1],
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, max-age=3600"
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        conversation = self.get_object(request, unquote(object_id))
        if conversation is not None:
            extra_context = {**self._front_desk(request, conversation), **(extra_context or {})}
            if request.method == "GET":
                conversation_mark_read(conversation=conversation)
        return super().change_view(request, object_id, form_url, extra_context)

    def _front_desk(self, request, conversation) -> dict:
        may_act = self.has_act_permission(request, conversation)
        window = reply_window(conversation=conversation)
        canned = canned_replies_for(conversation=conversation) if may_act else []
        return {
            "thread": conversation_thread(conversation=conversation),
            "can_release": conversation.needs_staff and may_act,
            "can_take_over": not conversation.needs_staff and may_act,
            "can_reply": may_act,
            "window": window,
            "window_left": duration_label(window.time_left()),
            "reply_template": None if window.is_open or not may_act
            else staff_reply_template(conversation=conversation),
            "canned_replies": canned,
            "reply_form": ReplyForm(initial={"text": _chosen(canned, request.GET.get("canned"))}),
        }


def _chosen(canned: list[CannedReply], wanted) -> str:
    """The canned reply picked without JavaScript (?canned=<id>), else nothing."""
    for reply in canned:
        if str(reply.pk) == wanted:
            return reply.text
    return ""


@admin.register(CannedReply)
class CannedReplyAdmin(TenantScopedAdmin, admin.ModelAdmin):
    """The hotel's canned replies: managers write them, every member uses them
    from a conversation's reply box."""

    list_display = ("title", "language", "excerpt", "tenant")
    list_filter = ("language", tenant_filter)
    search_fields = ("title", "text")
    list_select_related = ("tenant",)
    fields = ("tenant", "language", "title", "text")

    @admin.display(description=gettext_lazy("text"))
    def excerpt(self, reply):
        return truncatechars(reply.text, EXCERPT_LENGTH)


@admin.register(InboundMessage)
class InboundMessageAdmin(MessageAdmin):
    list_display = (
        "received_at", "sender", "channel", "message_type", "excerpt", "status", "attempts", "tenant",
    )
    list_filter = ("status", "channel", "message_type", tenant_filter)
    search_fields = ("external_id", "sender_id", "sender_phone", "sender_name")
    list_select_related = ("tenant",)
    date_hierarchy = "received_at"
    fields = (
        "tenant", "channel", "account_external_id", "external_id", "conversation_link", "sender_id",
        "sender_phone", "sender_name", "message_type", "text", "reply_to_id", "sent_at", "received_at",
        "status", "attempts", "processed_at", "error", "payload",
    )
    actions = ["process_again"]

    @admin.display(description=gettext_lazy("sender"), ordering="sender_name")
    def sender(self, message):
        return f"{message.sender_name} ({message.sender_id})" if message.sender_name else message.sender_id

    @admin.display(description=gettext_lazy("text"))
    def excerpt(self, message):
        return truncatechars(message.text, EXCERPT_LENGTH) or f"[{message.message_type}]"

    @admin.action(description=gettext_lazy("Process again"), permissions=["act"])
    def process_again(self, request, queryset):
        queued = sum(
            inbound_reprocess(message=message, user=request.user, ip_address=client_ip(request))
            for message in self.acted_on(request, queryset.filter(status=InboundMessage.Status.FAILED))
        )
        self.message_user(request, ngettext(
            "%(count)d failed message queued for processing.",
            "%(count)d failed messages queued for processing.",
            queued,
        ) % {"count": queued})


@admin.register(OutboundMessage)
class OutboundMessageAdmin(MessageAdmin):
    list_display = (
        "created_at", "recipient_id", "channel", "excerpt", "status", "attempts", "sent_at", "tenant",
    )
    list_filter = ("status", "channel", tenant_filter)
    search_fields = ("recipient_id", "external_id")
    list_select_related = ("tenant",)
    date_hierarchy = "created_at"
    fields = (
        "tenant", "channel", "account_external_id", "recipient_id", "conversation_link", "text",
        "offered_choices", "status", "status_at", "external_id", "attempts", "next_attempt_at",
        "attempt_started_at", "created_at", "sent_at", "error",
    )
    readonly_fields = (*MessageAdmin.readonly_fields, "offered_choices")
    actions = ["retry_sending"]

    @admin.display(description=gettext_lazy("text"))
    def excerpt(self, reply):
        return truncatechars(reply.text, EXCERPT_LENGTH)

    @admin.display(description=gettext_lazy("choices offered"))
    def offered_choices(self, reply):
        """What the guest could tap, and the id a tap brings back to the agent."""
        interactive = reply.interactive if isinstance(reply.interactive, dict) else {}
        choices = [c for c in interactive.get("choices") or [] if isinstance(c, dict)]
        if not choices:
            return "-"
        return format_html_join(format_html("<br>"), "{}. {} ({})", (
            (n, choice.get("title", ""), choice.get("id", "")) for n, choice in enumerate(choices, start=1)
        ))

    @admin.action(description=gettext_lazy("Retry sending"), permissions=["act"])
    def retry_sending(self, request, queryset):
        queued = sum(
            outbound_retry(outbound=reply, user=request.user, ip_address=client_ip(request))
            for reply in self.acted_on(request, queryset.filter(
                status__in=[OutboundMessage.Status.FAILED, OutboundMessage.Status.UNKNOWN]))
        )
        self.message_user(request, ngettext(
            "%(count)d failed or unknown reply queued for sending.",
            "%(count)d failed or unknown replies queued for sending.",
            queued,
        ) % {"count": queued})


from . import admin_guest_messaging  # noqa: E402, F401 - registers the templates and opt-outs screens
