from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from config.env import Env, load
from impasto.core.ids import snowflake, snowflake_floor, snowflake_time_ms
from impasto.core.text import render_markdown


def test_home_page_renders_with_the_no_ai_robots_tag(client: Client, db) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert b'<meta name="robots" content="noai, noimageai">' in response.content


def test_healthz_reports_database_and_cache(client: Client, db) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_security_headers_are_set(client: Client, db) -> None:
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    csp = response["Content-Security-Policy"]
    assert "object-src 'none'" in csp
    assert "base-uri 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "camera=()" in response["Permissions-Policy"]


def test_bad_setting_fails_at_start_up_naming_the_variable(monkeypatch) -> None:
    monkeypatch.setenv("IMPASTO_DATABASE_URL", "mysql://nope")
    monkeypatch.setenv("IMPASTO_WEB_WORKERS", "zero")
    load.cache_clear()
    try:
        with pytest.raises(ImproperlyConfigured) as error:
            load()
    finally:
        load.cache_clear()
    message = str(error.value)
    assert "IMPASTO_DATABASE_URL" in message
    assert "IMPASTO_WEB_WORKERS" in message


def test_allowed_hosts_are_read_as_a_comma_separated_list(monkeypatch) -> None:
    monkeypatch.setenv("IMPASTO_ALLOWED_HOSTS", "impasto.example, www.impasto.example")
    assert Env().allowed_hosts == ["impasto.example", "www.impasto.example"]


def test_secret_key_is_generated_once_and_kept(tmp_path) -> None:
    env = Env(data_dir=tmp_path, secret_key=None)
    first = env.effective_secret_key()
    assert len(first) >= 50
    assert env.effective_secret_key() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_snowflakes_sort_by_time_and_are_not_sequential() -> None:
    earlier = snowflake(at_ms=1_750_000_000_000)
    later = snowflake(at_ms=1_750_000_000_001)
    assert earlier < later
    assert snowflake_time_ms(earlier) == 1_750_000_000_000
    assert snowflake_floor(1_750_000_000_001) <= later
    same_ms = {snowflake(at_ms=1_750_000_000_000) for _ in range(50)}
    assert len(same_ms) == 50


def test_a_burst_of_snowflakes_never_repeats_and_only_grows() -> None:
    """200,000 ids in a tight loop: thousands share a millisecond, where 22 random bits alone
    would repeat (about 100 ids a millisecond collide once in 800 bursts; here a repeat is
    near certain without the step)."""
    import itertools
    import threading

    burst = [snowflake() for _ in range(200_000)]
    assert len(set(burst)) == len(burst)
    assert burst == sorted(burst)
    gaps = {b - a for a, b in itertools.pairwise(burst)}
    assert len(gaps) > 100  # the steps are random, not a counter

    seen: list[list[int]] = [[] for _ in range(4)]

    def draw(into: list[int]) -> None:
        into.extend(snowflake() for _ in range(20_000))

    threads = [threading.Thread(target=draw, args=(out,)) for out in seen]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [value for out in seen for value in out]
    assert len(set(every)) == len(every)


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.extend(attrs)


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "[click](javascript:alert(1))",
        '<img src=x onerror="alert(1)">',
        "<a href='https://x' onclick='alert(1)'>x</a>",
    ],
)
def test_markdown_never_lets_script_through(source: str) -> None:
    found = _Elements()
    found.feed(render_markdown(source))
    assert found.tags <= {"p", "a"}
    for name, value in found.attributes:
        assert not name.startswith("on")
        assert not (value or "").strip().lower().startswith("javascript:")


def test_markdown_renders_light_formatting_and_safe_links() -> None:
    html = render_markdown("**bold** _soft_ [site](https://example.org)")
    assert "<strong>bold</strong>" in html
    assert "<em>soft</em>" in html
    assert 'href="https://example.org"' in html
    assert 'rel="nofollow noopener noreferrer ugc"' in html
