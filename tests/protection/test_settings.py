from __future__ import annotations

import typing

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from config.env import Env, load
from impasto.protection.crawlers import DEFAULT_BLOCKED, Category


def test_the_setting_names_every_category_the_ai_list_can_give() -> None:
    annotation = Env.model_fields["crawler_blocked_categories"].annotation
    (item,) = typing.get_args(annotation)
    assert set(typing.get_args(item)) == {c.value for c in Category} - {"feed_reader"}
    assert set(Env().crawler_blocked_categories) == {c.value for c in DEFAULT_BLOCKED}
    assert Category.LINK_PREVIEW not in DEFAULT_BLOCKED


def test_protection_settings_are_read_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("IMPASTO_CRAWLER_BLOCKED_CATEGORIES", "training, link_preview")
    monkeypatch.setenv(
        "IMPASTO_HOTLINK_ALLOWED_ORIGINS", "https://Partner.example, http://a.test:8080/"
    )
    env = Env()
    assert env.crawler_blocked_categories == ["training", "link_preview"]
    assert env.hotlink_allowed_origins == ["https://partner.example", "http://a.test:8080"]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("IMPASTO_CRAWLER_BLOCKED_CATEGORIES", "training,robots"),
        ("IMPASTO_HOTLINK_ALLOWED_ORIGINS", "partner.example"),
        ("IMPASTO_HOTLINK_ALLOWED_ORIGINS", "https://partner.example/some/page"),
        ("IMPASTO_RATE_LIMIT_IPV6_PREFIX", "129"),
        ("IMPASTO_RATE_LIMIT_VARIANTS_PER_SECOND", "0"),
    ],
)
def test_bad_protection_settings_stop_start_up_naming_the_variable(
    monkeypatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    load.cache_clear()
    try:
        with pytest.raises(ImproperlyConfigured, match=name):
            load()
    finally:
        load.cache_clear()


def test_a_cache_the_limiter_cannot_make_atomic_is_reported() -> None:
    dummy_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.dummy.DummyCache",
        }
    }
    with override_settings(CACHES=dummy_cache):
        ids = [message.id for message in run_checks()]
    assert "protection.W001" in ids
    assert "protection.W001" not in [message.id for message in run_checks()]


def test_an_unusable_rate_limit_setting_is_reported() -> None:
    with override_settings(RATE_LIMITS={"variants": {"capacity": 0, "refill_per_second": 1}}):
        ids = [message.id for message in run_checks()]
    assert "protection.W002" in ids
