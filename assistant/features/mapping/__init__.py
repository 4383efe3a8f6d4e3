"""Activity-to-objective mapping: read the lists, score each pair from the text and the
corpus, and report the gaps. `build_mapping` is the one entry point (CLI, app, tests)."""

from assistant.features.mapping.build import build_mapping
from assistant.features.mapping.models import Activity, ActivityLinks, Link, Mapping, Objective

__all__ = ["build_mapping", "Activity", "ActivityLinks", "Link", "Mapping", "Objective"]
