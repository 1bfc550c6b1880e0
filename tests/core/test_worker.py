"""A web worker loads its views, then freezes them out of the garbage collector's walks."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from config.env import BASE_DIR
from impasto.core.worker import THRESHOLDS

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
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "IMPASTO_DATABASE_URL": "",
        "IMPASTO_DATA_DIR": str(tmp_path),
        "IMPASTO_SECRET_KEY": "worker-probe-" + "x" * 40,
        "IMPASTO_REDIS_URL": "",
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(module=module)],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["before"] == 0
    assert answer["views_loaded"]  # the first request would have imported them
    assert answer["frozen"] > 100_000  # Django, the views and the schemas, out of the walks
    assert tuple(answer["threshold"]) == THRESHOLDS
