"""The opt-out signals on every response, the files that carry them, and the crawler 403."""

from __future__ import annotations

import json
import logging
from html.parser import HTMLParser

import pytest
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from protego import Protego

from impasto.accounts.models import User
from impasto.protection import optout
from impasto.protection.crawlers import Category, load_crawlers
from tests.protection import user_agents as agents

SITE = "http://127.0.0.1:8000"
POLICY = f"{SITE}/ai-policy/"
OPT_OUT_HEADERS = {
    "X-Robots-Tag": "noai, noimageai",
    "tdm-reservation": "1",
    "tdm-policy": POLICY,
    "Content-Usage": "train-ai=n",
}


def assert_opt_out_headers(response) -> None:
    for name, value in OPT_OUT_HEADERS.items():
        assert response[name] == value, name


# --- headers on every response ---------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.urls("tests.protection.urls")
@pytest.mark.parametrize(
    ("path", "status", "content_type"),
    [
        ("/", 200, "text/html"),
        ("/ai-policy/", 200, "text/html"),
        ("/healthz", 200, "application/json"),
        ("/.well-known/tdmrep.json", 200, "application/json"),
        ("/robots.txt", 200, "text/plain"),
        ("/static/css/impasto.css", 200, "text/css"),
        ("/test-media/work.png", 200, "image/png"),
        ("/api/test-thing", 200, "application/json"),
        ("/no-such-page/", 404, "text/html"),
    ],
)
def test_every_response_carries_the_opt_out_headers(
    client: Client, path: str, status: int, content_type: str
) -> None:
    response = client.get(path, headers={"user-agent": agents.FIREFOX})
    assert response.status_code == status
    assert response["Content-Type"].startswith(content_type)
    assert_opt_out_headers(response)


@pytest.mark.django_db
def test_refusals_carry_the_opt_out_headers_too(client: Client) -> None:
    response = client.get("/", headers={"user-agent": agents.GPTBOT})
    assert response.status_code == 403
    assert_opt_out_headers(response)


# --- robots.txt, ai.txt, tdmrep.json, the policy page -----------------------------------------


@pytest.mark.django_db
def test_robots_txt_refuses_ai_crawlers_and_lets_search_engines_index_public_pages(
    client: Client,
) -> None:
    response = client.get("/robots.txt", headers={"user-agent": agents.GOOGLEBOT})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    robots = Protego.parse(response.content.decode())

    for token in ("GPTBot", "CCBot", "ClaudeBot", "Google-Extended", "Applebot-Extended"):
        for path in ("/", "/@mira", "/media/variants/work.webp", "/ai-policy/"):
            assert not robots.can_fetch(f"{SITE}{path}", token), (token, path)
    assert not robots.can_fetch(f"{SITE}/", agents.GPTBOT)  # the full User-Agent too

    for crawler in ("Googlebot", "bingbot", "Applebot", agents.GOOGLEBOT):
        assert robots.can_fetch(f"{SITE}/", crawler)
        assert robots.can_fetch(f"{SITE}/@mira", crawler)
        assert robots.can_fetch(f"{SITE}/@mira/projects/123", crawler)
        for private in ("/settings/", "/settings/profile", "/api/v1/posts", "/accounts/login/"):
            assert not robots.can_fetch(f"{SITE}{private}", crawler), (crawler, private)


@pytest.mark.django_db
def test_robots_txt_lists_every_refused_token_and_the_content_signals(client: Client) -> None:
    text = client.get("/robots.txt").content.decode()
    lines = text.splitlines()
    allowed = {Category.LINK_PREVIEW, Category.SEARCH_ENGINE}
    refused = [c.token for c in load_crawlers().values() if c.category not in allowed]
    assert len(refused) > 100
    for token in refused:
        assert f"User-agent: {token}" in lines
    assert "User-agent: facebookexternalhit" not in lines  # link previews are allowed
    assert "User-agent: Applebot" not in lines  # a search engine; Applebot-Extended is refused
    assert "User-agent: Applebot-Extended" in lines
    assert "Content-Signal: search=yes, ai-train=no" in lines
    assert "Content-Usage: train-ai=n" in lines
    assert POLICY in text


@pytest.mark.django_db
@override_settings(CRAWLER_BLOCKED_CATEGORIES=["training"])
def test_robots_txt_follows_the_blocked_categories_setting(client: Client) -> None:
    robots = Protego.parse(client.get("/robots.txt").content.decode())
    assert not robots.can_fetch(f"{SITE}/", "GPTBot")
    assert robots.can_fetch(f"{SITE}/", "OAI-SearchBot")  # AI search allowed by this setting


@pytest.mark.django_db
def test_ai_txt_refuses_everything_to_dataset_builders(client: Client) -> None:
    response = client.get("/ai.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-Agent: *" in lines
    assert "Disallow: /" in lines
    assert "Disallow: *.jpg" in lines
    assert "Disallow: *.webp" in lines
    robots = Protego.parse(response.content.decode())
    assert not robots.can_fetch(f"{SITE}/media/work.jpg", "SpawningAI")


@pytest.mark.django_db
def test_tdmrep_json_is_an_array_of_rules_reserving_the_whole_site(client: Client) -> None:
    response = client.get("/.well-known/tdmrep.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    rules = json.loads(response.content)
    assert isinstance(rules, list)
    assert rules == [{"location": "/", "tdm-reservation": 1, "tdm-policy": POLICY}]
    for rule in rules:
        assert set(rule) <= {"location", "tdm-reservation", "tdm-policy"}
        assert rule["location"].startswith("/")
        assert rule["tdm-reservation"] in (0, 1)
        assert rule["tdm-policy"].startswith("http")  # the spec wants an absolute URL


@pytest.mark.django_db
def test_the_policy_page_is_the_tdm_policy_and_is_translated(client: Client) -> None:
    response = client.get("/ai-policy/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "AI and data-mining policy" in html
    assert "Article 4" in html
    assert 'href="/robots.txt"' in html
    assert optout.policy_url() == POLICY
    french = client.get("/ai-policy/", headers={"accept-language": "fr"})
    assert french.status_code == 200
    assert french["Content-Language"] == "fr"


@pytest.mark.django_db
def test_opt_out_files_answer_head_and_refuse_post(client: Client) -> None:
    assert client.head("/robots.txt").status_code == 200
    assert client.post("/robots.txt").status_code == 405


# --- the robots and TDMRep meta tags on every HTML page -------------------------------------


class _Meta(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            self.meta.append(dict(attrs))


def _meta_tags(html: str) -> list[tuple[str | None, str | None]]:
    parser = _Meta()
    parser.feed(html)
    return [(tag.get("name"), tag.get("content")) for tag in parser.meta if tag.get("name")]


def _plain_paths(patterns: list[URLPattern | URLResolver], prefix: str = "") -> list[str]:
    """Every URL of the project that takes no argument."""
    paths = []
    for pattern in patterns:
        route = str(pattern.pattern).lstrip("^").rstrip("$").replace("\\", "")
        if any(mark in route for mark in "<>()[]?*+"):
            continue
        if isinstance(pattern, URLResolver):
            paths += _plain_paths(pattern.url_patterns, prefix + route)
        else:
            paths.append("/" + prefix + route)
    return sorted(set(paths))


def _check_pages(client: Client, paths: list[str]) -> list[str]:
    checked = []
    for path in paths:
        response = client.get(path, headers={"user-agent": agents.FIREFOX})
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        tags = _meta_tags(response.content.decode())
        assert tags.count(("robots", "noai, noimageai")) == 1, path
        assert tags.count(("tdm-reservation", "1")) == 1, path
        assert tags.count(("tdm-policy", POLICY)) == 1, path
        checked.append(path)
    return checked


@pytest.mark.django_db
def test_every_html_page_carries_the_robots_and_tdm_meta_tags(client: Client, user: User) -> None:
    paths = _plain_paths(get_resolver().url_patterns)
    anonymous = _check_pages(client, paths)
    assert {"/", "/ai-policy/", "/accounts/login/", "/accounts/signup/"} <= set(anonymous)
    client.force_login(user)
    signed_in = _check_pages(client, paths)
    assert "/accounts/email/" in signed_in
    # Pages outside templates/base.html (here django-allauth's own layout) get them too.
    assert len(anonymous) + len(signed_in) >= 10


@pytest.mark.django_db
def test_an_error_page_carries_the_meta_tags(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    tags = _meta_tags(response.content.decode())
    assert ("robots", "noai, noimageai") in tags
    assert ("tdm-reservation", "1") in tags
    assert int(response["Content-Length"]) == len(response.content)


# --- refusing listed AI crawlers -------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.urls("tests.protection.urls")
@pytest.mark.parametrize(
    ("user_agent", "token"),
    [
        (agents.GPTBOT, "GPTBot"),
        (agents.CCBOT, "CCBot"),
        (agents.CLAUDEBOT, "ClaudeBot"),
        (agents.IMG2DATASET, "img2dataset"),
        (agents.BYTESPIDER, "Bytespider"),
        (agents.CHATGPT_USER, "ChatGPT-User"),
        (agents.PERPLEXITYBOT, "PerplexityBot"),
    ],
)
@pytest.mark.parametrize(
    "path", ["/", "/ai-policy/", "/test-media/work.png", "/static/css/impasto.css"]
)
def test_listed_ai_crawlers_get_403_and_no_content(
    client: Client, user_agent: str, token: str, path: str
) -> None:
    response = client.get(path, headers={"user-agent": user_agent})
    assert response.status_code == 403
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    body = response.content.decode()
    assert token in body
    assert "not for AI training" in body
    assert len(body) < 300
    assert b"<" not in response.content
    assert b"\x89PNG" not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/robots.txt", "/ai.txt", "/.well-known/tdmrep.json"])
def test_refused_crawlers_may_still_read_the_opt_out_files(client: Client, path: str) -> None:
    response = client.get(path, headers={"user-agent": agents.GPTBOT})
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.urls("tests.protection.urls")
@pytest.mark.parametrize(
    "user_agent",
    [
        agents.GOOGLEBOT,
        agents.BINGBOT,
        agents.APPLEBOT,
        agents.FACEBOOKEXTERNALHIT,
        agents.SLACKBOT,
        agents.SOGOU,
        agents.QR_CODE_APP,
        agents.FIREFOX,
        agents.CHROME,
        agents.SAFARI_IPHONE,
        "",
    ],
)
def test_search_engines_link_previews_and_browsers_are_served(
    client: Client, user_agent: str
) -> None:
    for path in ("/", "/test-media/work.png"):
        response = client.get(path, headers={"user-agent": user_agent})
        assert response.status_code == 200, path


@pytest.mark.django_db
@override_settings(CRAWLER_BLOCKED_CATEGORIES=["training", "link_preview"])
def test_which_categories_are_refused_is_a_setting(client: Client) -> None:
    assert client.get("/", headers={"user-agent": agents.FACEBOOKEXTERNALHIT}).status_code == 403
    assert client.get("/", headers={"user-agent": agents.GPTBOT}).status_code == 403
    assert client.get("/", headers={"user-agent": agents.CHATGPT_USER}).status_code == 200


@pytest.mark.django_db
def test_refusals_are_logged_at_info_with_the_token_and_not_the_address(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="impasto.protection"):
        client.get("/ai-policy/", headers={"user-agent": agents.CCBOT}, REMOTE_ADDR="203.0.113.77")
    records = [r for r in caplog.records if r.name == "impasto.protection"]
    assert len(records) == 1
    assert records[0].levelno == logging.INFO
    message = records[0].getMessage()
    assert "CCBot" in message
    assert "/ai-policy/" in message
    assert "203.0.113" not in message
    # Django's own "Forbidden" warning is not added on top.
    assert not [r for r in caplog.records if r.name == "django.request"]
