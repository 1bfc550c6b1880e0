from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client, override_settings
from django.utils import translation

from config.env import BASE_DIR
from impasto.accounts.models import User
from tests.factories import PASSWORD, UserFactory

REDIS_URL = os.environ.get("IMPASTO_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
# One PostgreSQL and one Redis may serve several checkouts testing at once (see test_settings).
CHECKOUT_TAG = hashlib.sha1(str(BASE_DIR).encode(), usedforsecurity=False).hexdigest()[:8]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def _is_transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(
        (marker is not None and marker.kwargs.get("transaction"))
        or "transactional_db" in request.fixturenames
        or "live_server" in request.fixturenames
    )


@pytest.fixture(autouse=True)
def _flushable_audit_log(request: pytest.FixtureRequest) -> Iterator[None]:
    """Let a transactional test's flush empty the moderation audit log, whichever test it is.

    The log is append-only in the database (triggers refuse DELETE, and TRUNCATE of a non-empty
    log on PostgreSQL). A transactional test is undone by emptying every table, so any one that
    wrote to the log (a held upload in a browser test, say) would make its own flush, and every
    later one on that database, fail. The triggers are dropped just before the flush; the
    moderation tests put them back at their start (tests/moderation/conftest.py).
    """
    if not _is_transactional(request):
        yield
        return
    request.getfixturevalue("_django_db_helper")  # set up before us, so flushed after us
    yield
    from django.db import connection

    from impasto.moderation import auditlog

    auditlog.uninstall(connection)


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in English. A request in French leaves French active in its thread
    (LocaleMiddleware activates the request's language and nothing deactivates it), so a later
    test of a service's message, in the same test process, read it in French."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _isolated_cache() -> None:
    # Rate-limit counters and cached pages must not leak from one test into the next.
    caches["default"].clear()


@pytest.fixture
def user(db: Any) -> User:
    return UserFactory.create()


@pytest.fixture
def other_user(db: Any) -> User:
    return UserFactory.create()


@pytest.fixture
def user_client(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def redis_cache() -> Iterator[None]:
    """Point the default cache at the real Redis (a database and prefix of this checkout's own)."""
    prefix = f"impasto-test-{CHECKOUT_TAG}-{os.getpid()}"
    config = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }

    def clear() -> None:
        # Only this process's keys: cache.clear() would FLUSHDB, wiping the counters of the
        # other pytest-xdist workers and of other checkouts testing against the same Redis.
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        try:
            keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
            if keys:
                client.delete(*keys)
        finally:
            client.close()

    with override_settings(CACHES=config):
        clear()
        yield
        clear()


# --- browser tests ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Browser tests need Debian's chromium at {CHROMIUM} (scripts/services installs it)"
        )
    from playwright.sync_api import sync_playwright

    # Playwright runs an event loop in this thread; the ORM calls the tests make around it are
    # still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    # No service worker: it would answer requests that page.route never sees, and take over
    # pages halfway through a test. The PWA's own tests open a context that allows it.
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 900},
        service_workers="block",
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: errors.append(message.text) if message.type == "error" else None,
    )
    page.js_errors = errors
    yield page
    context.close()


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/ (git-ignored) for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
