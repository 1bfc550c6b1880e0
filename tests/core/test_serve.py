"""``impasto serve`` runs gunicorn's sync workers, two per CPU, each readied (docs/scaling.md)."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request

import pytest

from config.env import BASE_DIR, Env, default_web_workers
from tests.core.processes import production_env


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_runs_sync_workers_two_per_cpu_that_answer(tmp_path) -> None:
    port = _free_port()
    env = production_env(tmp_path, PORT=str(port))
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [str(BASE_DIR / ".venv" / "bin" / "impasto"), "serve"],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline, answer = time.monotonic() + 60, None
        while answer is None and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                    answer = r.status
            except OSError:
                time.sleep(0.3)
        assert answer == 200, log.read_text()
        workers = default_web_workers()
        deadline = time.monotonic() + 30
        while log.read_text().count("Booting worker") < workers and time.monotonic() < deadline:
            time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = log.read_text()
    assert "Using worker: sync" in text
    assert text.count("Booting worker") == workers


@pytest.mark.parametrize(("cpus", "workers"), [(1, 2), (2, 4), (8, 16), (64, 16)])
def test_the_default_is_two_workers_per_cpu_up_to_sixteen(monkeypatch, cpus, workers) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(cpus)))
    assert default_web_workers() == workers
    monkeypatch.delenv("IMPASTO_WEB_WORKERS", raising=False)
    assert Env().web_workers == workers  # what `impasto serve` passes to gunicorn
