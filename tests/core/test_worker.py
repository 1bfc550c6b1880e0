"""A web worker loads its views, then freezes them out of the garbage collector's walks."""

from __future__ import annotations

import pytest

from impasto.core.worker import THRESHOLDS
from tests.core.processes import production_env, run_probe

PROBE = """
import gc, json, sys
before = gc.get_freeze_count()
import {module}
print(json.dumps({{
    "before": before,
    "frozen": gc.get_freeze_count(),
    "threshold": gc.get_threshold(),
    "views_loaded": "config.urls" in sys.modules and "impasto.api.v1" in sys.modules,
}}))
"""


@pytest.mark.parametrize("module", ["config.wsgi", "config.asgi"])
def test_the_server_entry_points_ready_the_worker(tmp_path, module) -> None:
    answer = run_probe(PROBE.format(module=module), production_env(tmp_path))
    assert answer["before"] == 0
    assert answer["views_loaded"]  # the first request would have imported them
    assert answer["frozen"] > 100_000  # Django, the views and the schemas, out of the walks
    assert tuple(answer["threshold"]) == THRESHOLDS
