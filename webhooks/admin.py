"""Conversations and their messages in the back office.

Staff read a conversation as a thread, hand it back to the agent after a
handover, and push a stuck message along: process a failed guest message again,
resend a failed reply. Messages are the channel's record, so nobody adds, edits
or deletes them here, and every change goes through webhooks.conversations,
which audits it. Like every screen, each hotel's staff see their hotel only.
"""
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.template.defaultfilters import truncatechars
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from security.audit import client_ip
from tenants.admin import tenant_filter
from tenants.admin_scoping import MEMBERS, ReadOnlyMixin, TenantScopedAdmin

from .conversations import conversation_release, inbound_reprocess, outbound_retry
from .models import Conversation, InboundMessage, OutboundMessage
from .selectors import conversation_thread, with_message_counts

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


@admin.register(Conversation)
class ConversationAdmin(ReadOnlyAdmin):
    """The change page shows the messages as a thread (guest on the left, hotel on
    the right) from templates/admin/webhooks/conversation/change_form.html."""

    list_display = (
        "guest", "channel", "language", "state", "needs_staff", "last_activity_at", "message_count",
        "tenant",
    )
    list_filter = (NeedsStaffFilter, "channel", "language", "state", tenant_filter)
    search_fields = ("guest_id", "guest_phone", "guest_name")
    list_select_related = ("tenant",)
    fields = (
        "tenant", "guest_name", "guest_id", "guest_phone", "channel", "channel_account", "language",
        "state", "slots", "needs_staff", "last_activity_at", "created_at",
    )
    actions = ["release_selected"]

    def get_queryset(self, request):
        return with_message_counts(super().get_queryset(request))

    @admin.display(description=gettext_lazy("guest"), ordering="guest_name")
    def guest(self, conversation):
        if conversation.guest_name:
            return f"{conversation.guest_name} ({conversation.guest_id})"
        return conversation.guest_id

    @admin.display(description=gettext_lazy("messages"), ordering="message_count")
    def message_count(self, conversation):
        return conversation.message_count

    def _release(self, request, conversation) -> bool:
        return conversation_release(
            conversation=conversation, user=request.user, ip_address=client_ip(request)
        )

    @admin.action(description=gettext_lazy("Release to the agent"), permissions=["act"])
    def release_selected(self, request, queryset):
        released = sum(self._release(request, c) for c in self.acted_on(request, queryset))
        self.message_user(request, ngettext(
            "%(count)d conversation released to the agent.",
            "%(count)d conversations released to the agent.",
            released,
        ) % {"count": released})

    def get_urls(self):
        release = path(
            "<path:object_id>/release/", self.admin_site.admin_view(self.release_view),
            name="webhooks_conversation_release",
        )
        return [release, *super().get_urls()]

    def release_view(self, request, object_id):
        return self.object_button_view(
            request, object_id, permitted=self.has_act_permission, act=self._release,
            done_message=lambda conversation: _("The agent answers this guest again."),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        conversation = self.get_object(request, unquote(object_id))
        if conversation is not None:
            extra_context = {
                **(extra_context or {}),
                "thread": conversation_thread(conversation=conversation),
                "can_release": conversation.needs_staff and self.has_act_permission(request, conversation),
            }
        return super().change_view(request, object_id, form_url, extra_context)


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
