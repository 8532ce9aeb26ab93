import json

from django.core.management.base import BaseCommand, CommandError

from hotelagent.models import ScalingDecision
from hotelagent.scaling.evaluation import evaluate_scaling
from security.locking import Busy


def _bounded(kind: str, convert, low, high=None):
    def parse(text: str):
        value = convert(text)
        if value < low or (high is not None and value > high):
            raise ValueError(text)
        return value

    parse.__name__ = kind  # argparse's message: "invalid percentage (0-100) value: '120'"
    return parse


_percent = _bounded("percentage (0-100)", float, 0, 100)
_fraction = _bounded("fraction (0-1)", float, 0, 1)
_count = _bounded("count (0 or more)", int, 0)


class Command(BaseCommand):
    help = (
        "Evaluate autoscaling now, as the every-minute Celery task does: measure CPU, memory, "
        "requests and errors per minute, p95 latency and the Celery queue depth, apply the "
        "SCALING_* policy and print the decision (scale_up, scale_down or hold, with the reasons). "
        "Any input can be set by hand to ask 'what if' (--cpu 90). The decision is stored, "
        "published as hotelagent_desired_instances and handed to the executor like the task's, so "
        "an action starts the cooldown and the external autoscaler follows it; --dry-run only prints."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cpu", type=_percent, metavar="PERCENT",
                            help="CPU use in %% instead of the measured one.")
        parser.add_argument("--memory", type=_percent, metavar="PERCENT",
                            help="Memory use in %% instead of the measured one.")
        parser.add_argument("--request-rate", type=_count, metavar="N",
                            help="Requests per minute, every instance together (the policy divides by "
                                 "the instances running).")
        parser.add_argument("--error-rate", type=_fraction, metavar="FRACTION",
                            help="Fraction of requests answered 5xx, 0-1 (0.02 is 2 %%).")
        parser.add_argument("--queue-depth", type=_count, metavar="N",
                            help="Tasks waiting in the Celery queues.")
        parser.add_argument("--json", action="store_true",
                            help="Print one JSON object: action, current_instances, target_instances, "
                                 "reasons (and the inputs).")
        parser.add_argument("--dry-run", action="store_true",
                            help="Decide and print, but store, publish and carry out nothing.")

    def handle(self, *args, **options):
        overrides = {
            "cpu_percent": options["cpu"], "memory_percent": options["memory"],
            "request_rate": options["request_rate"], "error_rate": options["error_rate"],
            "queue_depth": options["queue_depth"],
        }
        try:
            decision = evaluate_scaling(overrides=overrides, source=ScalingDecision.Source.COMMAND,
                                        dry_run=options["dry_run"])
        except Busy as error:
            raise CommandError(f"another evaluation is running: try in {error.retry_after} s") from error
        if options["json"]:
            self.stdout.write(json.dumps(decision.summary(), ensure_ascii=False))
            return
        self._print(decision, stored=not options["dry_run"])

    def _print(self, decision, *, stored: bool):
        style = self.style.WARNING if decision.is_action() else self.style.SUCCESS
        self.stdout.write(style(
            f"{decision.action}: {decision.current_instances} → {decision.target_instances} instances"))
        for reason in decision.reasons:
            self.stdout.write(f"  - {reason}")
        inputs = decision.summary()["inputs"]
        shown = ", ".join(f"{name}={'unknown' if value is None else value}" for name, value in inputs.items())
        self.stdout.write(f"inputs: {shown}")
        if decision.overridden:
            self.stdout.write(f"set by hand: {', '.join(decision.overridden)}")
        self.stdout.write(f"stored as decision {decision.pk}" if stored else "dry run: nothing stored")
