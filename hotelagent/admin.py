"""The autoscaling decisions in the back office: read-only, product-wide, so for
superusers only (hotel staff get a 403 like on any screen of no hotel); the
change list draws the last 24 hours above the table."""
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy

from tenants.admin_scoping import ReadOnlyMixin

from .models import ScalingDecision
from .scaling.chart import WINDOW, instances_chart


@admin.register(ScalingDecision)
class ScalingDecisionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("evaluated_at", "action", "current_instances", "target_instances", "cpu_percent",
                    "memory_percent", "request_rate", "error_rate", "p95_latency_ms", "queue_depth", "source",
                    "why")
    list_filter = ("action", "source", ("evaluated_at", admin.DateFieldListFilter))
    date_hierarchy = "evaluated_at"
    change_list_template = "admin/hotelagent/scalingdecision/change_list.html"
    fields = ("evaluated_at", "action", "current_instances", "target_instances", "why", "cpu_percent",
              "memory_percent", "request_rate", "error_rate", "p95_latency_ms", "queue_depth", "source",
              "overridden")
    readonly_fields = fields

    @admin.display(description=gettext_lazy("reasons"))
    def why(self, decision):
        return "; ".join(decision.reasons)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def changelist_view(self, request, extra_context=None):
        now = timezone.now()
        recent = (ScalingDecision.objects.filter(evaluated_at__gt=now - WINDOW, evaluated_at__lte=now)
                  .order_by("evaluated_at", "pk")
                  .values_list("evaluated_at", "action", "current_instances", "target_instances"))
        context = {"instances_chart": instances_chart(recent, now=now), **(extra_context or {})}
        return super().changelist_view(request, context)
