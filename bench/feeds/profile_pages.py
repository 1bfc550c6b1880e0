"""Profile the HTML pages in-process against a seeded database (cProfile + Django's Client).

    IMPASTO_DATABASE_URL=postgres://postgres@127.0.0.1:5432/impasto_feeds_bench \\
        .venv/bin/python bench/feeds/profile_pages.py --page html_home --repeat 40

For each page (``html_home``, ``profile``, ``tag``, and ``json_home``: the API's home timeline
with each reader's token), rotating over the readers of
``bench/feeds/.credentials.json`` like ``load.py``: the app's CPU milliseconds per request
(``time.process_time``), the PostgreSQL backend's CPU milliseconds per request (from
``/proc`` of this connection's backend, so the database must be on this machine), and the
queries of one request with their time. ``--cprofile`` prints the top functions by cumulative
time; ``--sql`` prints every query of the last request.

Two environment variables try PostgreSQL's prepared statements (docs/scaling.md, "Not yet at
the targets", item 1): ``BENCH_PREPARE_THRESHOLD=N`` turns on psycopg's server-side binding
and prepares a statement after N runs; ``BENCH_PLAN_CACHE_MODE=force_generic_plan`` (or
``auto``) sets that PostgreSQL setting on the connection.

    BENCH_PREPARE_THRESHOLD=1 BENCH_PLAN_CACHE_MODE=force_generic_plan \
        IMPASTO_DATABASE_URL=... .venv/bin/python bench/feeds/profile_pages.py --page json_home
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("IMPASTO_DEBUG", "false")

import django  # noqa: E402

if os.environ.get("BENCH_PREPARE_THRESHOLD"):
    from config import settings as project_settings

    options = project_settings.DATABASES["default"].setdefault("OPTIONS", {})
    options["server_side_binding"] = True
    options["prepare_threshold"] = int(os.environ["BENCH_PREPARE_THRESHOLD"])
    if os.environ.get("BENCH_PLAN_CACHE_MODE"):
        options["options"] = f"-c plan_cache_mode={os.environ['BENCH_PLAN_CACHE_MODE']}"

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from impasto.core.worker import ready_worker  # noqa: E402

CREDENTIALS = Path(__file__).with_name(".credentials.json")
TICKS = os.sysconf("SC_CLK_TCK")


def backend_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def requests_for(page: str, readers: list[dict[str, str]]) -> list[tuple[str, str]]:
    """(path, credential): a session cookie, ``Bearer <token>`` for the API, or nothing."""
    if page == "html_home":
        return [("/feed", r["session"]) for r in readers]
    if page == "json_home":
        return [("/api/v1/feeds/following?limit=20", f"Bearer {r['token']}") for r in readers]
    if page == "profile":
        return [(f"/@{r['handle']}", "") for r in readers]
    if page == "tag":
        return [(f"/tags/tag{n}", "") for n in range(50)]
    raise SystemExit(f"unknown page {page}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--page", default="html_home")
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--cprofile", action="store_true")
    parser.add_argument("--sql", action="store_true")
    parser.add_argument("--warm", type=int, default=3, help="requests before measuring")
    args = parser.parse_args()
    readers = json.loads(CREDENTIALS.read_text())
    items = requests_for(args.page, readers)
    client = Client(HTTP_HOST="127.0.0.1")

    def get(n: int) -> int:
        path, credential = items[n % len(items)]
        client.cookies.clear()
        headers = {}
        if credential.startswith("Bearer "):
            headers["Authorization"] = credential
        elif credential:
            client.cookies["sessionid"] = credential
        response = client.get(path, headers=headers)
        assert response.status_code == 200, (path, response.status_code)
        return len(response.content)

    for n in range(args.warm):  # warm up: imports, templates, the connection (and caches)
        get(n)
    ready_worker()  # as config/wsgi.py readies each gunicorn worker (impasto/core/worker.py)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    profile = cProfile.Profile() if args.cprofile else None
    pg_before, app_before = backend_cpu(pid), time.process_time()
    if profile:
        profile.enable()
    for n in range(args.repeat):
        get(n + args.warm)
    if profile:
        profile.disable()
    app = (time.process_time() - app_before) / args.repeat * 1000
    pg = (backend_cpu(pid) - pg_before) / args.repeat * 1000
    with CaptureQueriesContext(connection) as queries:
        size = get(args.repeat + args.warm)
    load = os.getloadavg()[0]
    print(
        json.dumps(
            {
                "page": args.page,
                "repeat": args.repeat,
                "app_cpu_ms": round(app, 1),
                "pg_cpu_ms": round(pg, 1),
                "queries": len(queries.captured_queries),
                "bytes": size,
                "load1": load,
                "profiled": bool(profile),
            }
        )
    )
    if args.sql:
        for query in queries.captured_queries:
            print(query["time"], query["sql"][:3000], "\n")
    if profile:
        pstats.Stats(profile).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(
            int(os.environ.get("TOP", "45"))
        )


if __name__ == "__main__":
    main()
