"""Autoscaling evaluation: request counters (`middleware`, `counters`), the inputs
(`inputs`, `host`), the rule (`policy`), one evaluation (`evaluation`), the gauge
(`metrics`), the executor seam (`executor`) and the admin's chart (`chart`)."""
