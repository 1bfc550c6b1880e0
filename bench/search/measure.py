"""Time full-text search of posts on a seeded database (bench/feeds/seed.py), per word.

    cd <checkout> && IMPASTO_DATABASE_URL=postgres://postgres@127.0.0.1:5432/impasto_search_bench \
        .venv/bin/python bench/search/measure.py watercolor tag7 zzzz

For each word: the search selector (posts only, anonymous reader) run ``--runs`` times after a
warm-up, reporting the median wall time, the median CPU time of this process, and PostgreSQL's
own execution time for the posts query (``EXPLAIN (ANALYZE, BUFFERS)``, with the plan's
top lines with ``--plan``). Run it from the checkout whose code is measured (the current
directory goes first on the import path), against a copy of the bench database.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from impasto.search.selectors import SearchParams, search  # noqa: E402
from impasto.social.selectors.relations import viewer_for  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("words", nargs="+")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--plan", action="store_true")
    args = parser.parse_args()
    viewer = viewer_for(AnonymousUser())
    print(f"load average {os.getloadavg()}")
    for word in args.words:
        params = SearchParams(query=word, kinds=("posts",))
        found = len(search(viewer, params).posts)  # warm-up
        walls, cpus = [], []
        for _ in range(args.runs):
            w, c = time.perf_counter(), time.process_time()
            search(viewer, params)
            walls.append(time.perf_counter() - w)
            cpus.append(time.process_time() - c)
        with CaptureQueriesContext(connection) as queries:
            search(viewer, params)
        # The full-text queries (the pool of matches and the ranking, or both in one).
        texts = [
            q["sql"] for q in queries.captured_queries if "@@" in q["sql"] or "ts_rank" in q["sql"]
        ]
        plan, executions = [], []
        with connection.cursor() as cursor:
            for sql in texts:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                lines = [row[0] for row in cursor.fetchall()]
                plan += lines
                executions += [
                    line.split(": ")[1] for line in lines if line.startswith("Execution")
                ]
        execution = " + ".join(executions)
        print(
            f"{word!r}: {found} results, wall median {statistics.median(walls) * 1000:.1f} ms, "
            f"app CPU median {statistics.median(cpus) * 1000:.1f} ms, "
            f"PostgreSQL {execution.removeprefix('Execution Time: ')}"
        )
        if args.plan:
            print("\n".join("    " + line for line in plan[:25]))
    print(f"load average {os.getloadavg()}")


if __name__ == "__main__":
    main()
