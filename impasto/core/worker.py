"""Ready a web worker process: everything loaded, then the garbage collector told about it.

Python's cyclic garbage collector runs when allocations outnumber frees by 700 (then every
10th run looks at older objects, and every 100th at everything). A Django process holds a
quarter of a million long-lived objects (modules, URL patterns, schemas, caches) that the
collector walked again on every full run: on the home timeline, measured in-process over
600 requests (docs/scaling.md), two full runs of 120 to 130 ms each, during which the
process answered nothing, and about 0.8 ms of collection per request in all.

So the worker loads what the first request would have loaded (the URLconf, and with it
every view and the API's schemas), collects once, and *freezes* what is left
(``gc.freeze``): the collector never walks those objects again. It also raises the first
threshold to 2,000, since a page allocates thousands of short-lived containers. Measured the
same way: no full run, a longest pause of about 2 ms, 0.16 ms of collection per request.

Called by ``config/wsgi.py`` and ``config/asgi.py`` once the application is built, in each
gunicorn worker; ``bench/feeds/profile_pages.py`` calls it too, to measure what they run.
"""

from __future__ import annotations

import gc

from django.urls import get_resolver

THRESHOLDS = (2000, 10, 10)


def ready_worker() -> None:
    get_resolver().url_patterns  # noqa: B018 - imports config.urls and every view it names
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
