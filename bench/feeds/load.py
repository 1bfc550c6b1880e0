"""Load the feed pages of a seeded database from a separate process (wrk) on loopback.

    IMPASTO_DATABASE_URL=postgres://postgres@127.0.0.1:5432/impasto_feeds_bench \\
        .venv/bin/python bench/feeds/load.py --duration 20 --connections 8

Starts gunicorn (the production server, as ``impasto serve`` does) on 127.0.0.1:8765 with the
given workers and threads, then, per scenario, runs ``wrk`` (Debian package ``wrk``) for
``--duration`` seconds with a Lua script that rotates over the readers of
``bench/feeds/.credentials.json`` (written by seed.py), so every request reads a different
home timeline. Prints one JSON line per scenario: requests per second, p50 and p99 latency
(wrk's), non-2xx answers, and CPU seconds per request of the app (gunicorn processes) and of
PostgreSQL (the backends connected to the bench database), read from /proc before and after.

By default the load is closed-loop: ``--connections`` clients, each sending its next request
as soon as the last one is answered, which finds the most the server can do. ``--rate R`` paces
it instead (Debian's wrk has no wrk2 ``-R``): each wrk thread sends on a fixed schedule of R
requests per second in all, through wrk's ``delay()`` hook and LuaJIT's clock, so p50 and p99
are read at a given load, such as 80% of the target. Give it enough ``--connections`` that one
is always free when a request is due (a 32 for 240 req/s): a request sent more than 1 ms late
is counted in ``late``, and a run with many is not a run at that rate.

    IMPASTO_REDIS_URL=redis://127.0.0.1:6379/13 IMPASTO_DATABASE_URL=... \
        .venv/bin/python bench/feeds/load.py --only json_home --rate 240 --connections 32
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from config.env import default_web_workers  # noqa: E402 - after the path

CREDENTIALS = Path(__file__).with_name(".credentials.json")
TICKS = os.sysconf("SC_CLK_TCK")

PACING = """
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } impasto_timespec;
int clock_gettime(int, impasto_timespec *);
]]
local now = ffi.new("impasto_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, now)  -- CLOCK_MONOTONIC
  return tonumber(now.tv_sec) * 1000 + tonumber(now.tv_nsec) / 1e6
end
local interval = {INTERVAL}  -- ms between this thread's requests
due, late = nil, 0
delay = function()
  local t = now_ms()
  if due == nil then due = t end
  local wait = due - t
  due = due + interval
  if wait < -1 then late = late + 1 end
  return math.max(wait, 0)
end
"""

LUA = """
local items = {ITEMS}
local threads = {}
setup = function(thread) table.insert(threads, thread) end
local counter = 0
request = function()
  counter = counter + 1
  local item = items[(counter %% #items) + 1]
  return wrk.format("GET", item[1], item[2])
end
done = function(summary, latency, requests)
  local late = 0
  for _, thread in ipairs(threads) do late = late + (thread:get("late") or 0) end
  io.write(string.format(
    'RESULT {"requests": %%d, "duration_s": %%.3f, "p50_ms": %%.2f, "p99_ms": %%.2f, ' ..
    '"max_ms": %%.2f, "non2xx": %%d, "errors": %%d, "late": %%d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    late))
end
"""


def lua_items(items: list[tuple[str, dict[str, str]]]) -> str:
    def quote(text: str) -> str:
        # Paths, tokens and cookies only: nothing to escape.
        assert '"' not in text, text
        assert "\\" not in text, text
        return f'"{text}"'

    rows = []
    for path, headers in items:
        pairs = ", ".join(f"[{quote(k)}] = {quote(v)}" for k, v in headers.items())
        rows.append(f"{{{quote(path)}, {{{pairs}}}}}")
    return "{" + ",\n".join(rows) + "}"


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def app_pids(master: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout
    return [master, *(int(p) for p in out.split())]


def pg_pids(database_url: str) -> list[int]:
    """The PostgreSQL backends serving the bench database (the app's persistent connections)."""
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        ).fetchall()
    return [int(row[0]) for row in rows]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    # Defaults as `impasto serve` runs it (config/env.py): sync workers, two per CPU.
    parser.add_argument(
        "--workers", type=int, default=default_web_workers(), help="gunicorn processes"
    )
    parser.add_argument("--web-threads", type=int, default=1, help="threads per process")
    parser.add_argument("--worker-class", default="sync", help="gunicorn's (sync, gthread)")
    parser.add_argument(
        "--keep-alive", type=int, default=2, help="gunicorn's seconds; 0 closes after each answer"
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--only", default="", help="comma-separated scenario names")
    parser.add_argument("--label", default="", help="added to each JSON line")
    parser.add_argument(
        "--rate", type=float, default=0, help="requests per second in all (0: closed loop)"
    )
    args = parser.parse_args()
    database_url = os.environ.get("IMPASTO_DATABASE_URL", "")
    readers = json.loads(CREDENTIALS.read_text())
    base = f"http://127.0.0.1:{args.port}"
    scenarios: dict[str, list[tuple[str, dict[str, str]]]] = {
        "json_home": [
            ("/api/v1/feeds/following?limit=20", {"Authorization": f"Bearer {r['token']}"})
            for r in readers
        ],
        "html_home": [("/feed", {"Cookie": f"sessionid={r['session']}"}) for r in readers],
        "profile": [(f"/@{r['handle']}", {}) for r in readers],
        "tag": [(f"/tags/tag{n}", {}) for n in range(50)],
        "json_profile": [(f"/api/v1/profiles/{r['handle']}/posts", {}) for r in readers],
        # the floor: what any request costs (server, middleware) before a page's own work
        "healthz": [("/healthz", {})],
    }
    if args.only:
        scenarios = {k: v for k, v in scenarios.items() if k in args.only.split(",")}
    env = {**os.environ, "IMPASTO_DEBUG": "false", "IMPASTO_WEB_WORKERS": str(args.workers)}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.web_threads),
            "--worker-class",
            args.worker_class,
            "--timeout",
            "60",
            "--keep-alive",
            str(args.keep_alive),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)  # noqa: S310 - http on loopback
                break
            except OSError:
                time.sleep(0.3)
        for name, items in scenarios.items():
            with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
                script.write(LUA.replace("{ITEMS}", lua_items(items)).replace("%%", "%"))
                if args.rate:
                    interval = 1000 * args.threads / args.rate
                    script.write(PACING.replace("{INTERVAL}", f"{interval:.6f}"))
            # Warm up (connections, caches), then measure.
            subprocess.run(
                ["wrk", "-t1", "-c2", "-d3s", "-s", script.name, base],
                capture_output=True,
                check=False,
            )
            app_before = cpu_seconds(app_pids(server.pid))
            pg_before_pids = pg_pids(database_url)
            pg_before = cpu_seconds(pg_before_pids)
            out = subprocess.run(
                [
                    "wrk",
                    f"-t{args.threads}",
                    f"-c{args.connections}",
                    f"-d{args.duration}s",
                    "--latency",
                    "-s",
                    script.name,
                    base,
                ],
                capture_output=True,
                text=True,
                check=False,
            ).stdout
            app_cpu = cpu_seconds(app_pids(server.pid)) - app_before
            pg_after_pids = pg_pids(database_url)
            pg_cpu = cpu_seconds(pg_after_pids) - pg_before
            Path(script.name).unlink()
            match = re.search(r"RESULT (\{.*\})", out)
            if match is None:
                print(json.dumps({"scenario": name, "error": out[-500:]}))
                continue
            result = json.loads(match.group(1))
            count = max(result["requests"], 1)
            result.update(
                scenario=name,
                label=args.label,
                rps=round(result["requests"] / result["duration_s"], 1),
                app_cpu_ms_per_req=round(app_cpu * 1000 / count, 2),
                pg_cpu_ms_per_req=round(pg_cpu * 1000 / count, 2),
                pg_backends_stable=set(pg_before_pids) == set(pg_after_pids),
                connections=args.connections,
                rate=args.rate or None,
                workers=args.workers,
                web_threads=args.web_threads,
                worker_class=args.worker_class,
                keep_alive=args.keep_alive,
            )
            print(json.dumps(result), flush=True)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
