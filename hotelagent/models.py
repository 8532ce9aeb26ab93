from django.db import models
from django.utils.translation import gettext_lazy as _


class ScalingDecision(models.Model):
    """One autoscaling evaluation: what it saw, what it decided and why. Written by
    `hotelagent.tasks.evaluate_scaling` every minute and by `manage.py
    evaluate_scaling`; never edited (hotelagent/scaling/ says how it is decided)."""

    class Action(models.TextChoices):
        SCALE_UP = "scale_up", _("scale up")
        SCALE_DOWN = "scale_down", _("scale down")
        HOLD = "hold", _("hold")

    class Source(models.TextChoices):
        SCHEDULE = "schedule", _("schedule")
        COMMAND = "command", _("command")

    evaluated_at = models.DateTimeField(_("evaluated at"), db_index=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    current_instances = models.PositiveIntegerField(_("current instances"))
    target_instances = models.PositiveIntegerField(_("target instances"))
    reasons = models.JSONField(_("reasons"), default=list)
    cpu_percent = models.FloatField(_("CPU %"), null=True)
    memory_percent = models.FloatField(_("memory %"), null=True)
    request_rate = models.PositiveIntegerField(_("requests per minute"), null=True,
                                               help_text=_("Every instance together."))
    error_rate = models.FloatField(_("error rate"), null=True, help_text=_("Fraction answered 5xx."))
    p95_latency_ms = models.FloatField(_("p95 latency (ms)"), null=True)
    queue_depth = models.PositiveIntegerField(_("queue depth"), null=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.SCHEDULE)
    overridden = models.JSONField(_("inputs set by hand"), default=list, blank=True)

    class Meta:
        verbose_name = _("scaling decision")
        verbose_name_plural = _("scaling decisions")
        ordering = ["-evaluated_at", "-pk"]
        indexes = [models.Index(fields=["action", "-evaluated_at"], name="scaling_last_action_idx")]

    def __str__(self):
        return f"{self.get_action_display()} {self.current_instances} → {self.target_instances}"

    def is_action(self) -> bool:
        return self.action != self.Action.HOLD

    def summary(self) -> dict:
        """What `manage.py evaluate_scaling --json` prints."""
        return {
            "action": self.action,
            "current_instances": self.current_instances,
            "target_instances": self.target_instances,
            "reasons": list(self.reasons),
            "evaluated_at": self.evaluated_at.isoformat(),
            "inputs": {
                "cpu_percent": self.cpu_percent, "memory_percent": self.memory_percent,
                "request_rate": self.request_rate, "error_rate": self.error_rate,
                "p95_latency_ms": self.p95_latency_ms, "queue_depth": self.queue_depth,
            },
            "overridden": list(self.overridden),
            "id": self.pk,
        }
