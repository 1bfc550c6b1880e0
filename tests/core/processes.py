"""A fresh Python process with the production settings, for tests that need one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from config.env import BASE_DIR


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """This environment with ``config.settings`` on SQLite in ``tmp_path``, no Redis."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "IMPASTO_DATABASE_URL": "",
        "IMPASTO_DATA_DIR": str(tmp_path),
        "IMPASTO_SECRET_KEY": "process-probe-" + "x" * 40,
        "IMPASTO_REDIS_URL": "",
        **overrides,
    }


def run_probe(code: str, env: dict[str, str], *, timeout: int = 120) -> Any:
    """Run ``code`` in a fresh interpreter at the repository root; its last line, as JSON."""
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])
