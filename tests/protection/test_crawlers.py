from __future__ import annotations

import hashlib
import json
import re

import pytest

from impasto.protection import crawlers
from impasto.protection.agents import classify_user_agent
from impasto.protection.crawlers import (
    DATA_FILE,
    NOTE_FILE,
    Category,
    CrawlerListError,
    CrawlerMatcher,
    build_crawlers,
    categorise,
    load_crawlers,
    matcher,
    parse_crawler_list,
)
from tests.protection import user_agents as agents


def test_the_shipped_list_is_upstreams_file_with_its_checksum_in_the_note() -> None:
    raw = DATA_FILE.read_bytes()
    note = NOTE_FILE.read_text()
    assert f"`{hashlib.sha256(raw).hexdigest()}`" in note
    assert "MIT" in note
    assert "https://github.com/ai-robots-txt/ai.robots.txt" in note
    assert f"- Entries: {len(json.loads(raw))}" in note


def test_every_token_gets_a_category_and_the_spec_named_ones_the_right_one() -> None:
    listed = load_crawlers()
    assert len(listed) >= 100
    assert {crawler.category for crawler in listed.values()} <= set(Category)
    training = [
        "GPTBot",
        "CCBot",
        "ClaudeBot",
        "Bytespider",
        "Google-Extended",
        "Applebot-Extended",
        "meta-externalagent",
        "img2dataset",
        "LAIONDownloader",
    ]
    for token in training:
        assert listed[token].category is Category.TRAINING, token
    for token in ("OAI-SearchBot", "PerplexityBot"):
        assert listed[token].category is Category.AI_SEARCH, token
    for token in ("ChatGPT-User", "Perplexity-User", "Claude-User"):
        assert listed[token].category is Category.ASSISTANT, token
    assert listed["facebookexternalhit"].category is Category.LINK_PREVIEW
    assert listed["Applebot"].category is Category.SEARCH_ENGINE


@pytest.mark.parametrize(
    ("function", "description", "expected"),
    [
        ("AI Data Scrapers", "Downloads training data for its AI models.", Category.TRAINING),
        ("AI Data Providers", "Extracts structured data for AI agents.", Category.AI_DATA),
        ("AI Assistants", "Fetches pages when users ask; may improve models.", Category.ASSISTANT),
        ("AI Search Crawlers", "Indexes pages for an AI search engine.", Category.AI_SEARCH),
        ("Undocumented AI Agents", "Description unavailable.", Category.UNDOCUMENTED),
        ("Retrieves data for user-initiated prompts.", "", Category.ASSISTANT),
        ("Scrapes data for LLM training.", "", Category.TRAINING),
        ("Unclear at this time.", "Unclear at this time.", Category.UNDOCUMENTED),
        ("Sells data.", "Crawls for an API.", Category.AI_DATA),
    ],
)
def test_tokens_without_an_override_are_read_from_their_function_and_description(
    function: str, description: str, expected: Category
) -> None:
    facts = {"function": function, "description": description}
    assert categorise("SomeNewBot", facts) is expected


BLOCKED_BY_DEFAULT = [
    (agents.GPTBOT, "GPTBot"),
    (agents.CCBOT, "CCBot"),
    (agents.CLAUDEBOT, "ClaudeBot"),
    (agents.IMG2DATASET, "img2dataset"),
    # Its contact address says "spider-feedback": the token must be Bytespider, not Spider.
    (agents.BYTESPIDER, "Bytespider"),
    (agents.CHATGPT_USER, "ChatGPT-User"),
    (agents.PERPLEXITYBOT, "PerplexityBot"),
    (agents.META_EXTERNALAGENT, "meta-externalagent"),
    (agents.VSCODE, "Code"),
    (agents.GPTBOT.lower(), "GPTBot"),  # case-insensitive, like upstream
]
NOT_LISTED = [
    agents.GOOGLEBOT,
    agents.GOOGLEBOT_IMAGE,
    agents.BINGBOT,
    agents.SOGOU,  # "spider" as a plain word is not the listed "Spider"
    agents.SLACKBOT,
    agents.DISCORDBOT,
    agents.MASTODON,
    agents.FEEDLY,
    agents.FIREFOX,
    agents.CHROME,
    agents.SAFARI_IPHONE,
    agents.EDGE,
    agents.QR_CODE_APP,  # "Code" as a plain word is not the listed "Code"
    "",
]


@pytest.mark.parametrize(("user_agent", "token"), BLOCKED_BY_DEFAULT)
def test_listed_ai_crawlers_are_recognised_by_their_real_user_agents(
    user_agent: str, token: str
) -> None:
    found = matcher().match(user_agent)
    assert found is not None
    assert found.token == token


@pytest.mark.parametrize("user_agent", NOT_LISTED)
def test_search_engines_link_previews_and_browsers_are_not_matched(user_agent: str) -> None:
    assert matcher().match(user_agent) is None


def test_link_preview_and_search_entries_on_the_list_are_matched_with_their_category() -> None:
    facebook = matcher().match(agents.FACEBOOKEXTERNALHIT)
    assert facebook is not None
    assert facebook.category is Category.LINK_PREVIEW
    apple = matcher().match(agents.APPLEBOT)
    assert apple is not None
    assert (apple.token, apple.category) == ("Applebot", Category.SEARCH_ENGINE)


def test_matching_is_word_bounded_and_tokens_are_escaped() -> None:
    listed = build_crawlers(
        {
            "bigsur.ai": _facts(),
            "YaK": _facts(),
            "Spider": _facts(),
            "Code": {**_facts(), "has_name_and_version": True},
        }
    )
    tricky = CrawlerMatcher(listed.values())
    assert tricky.match("Mozilla/5.0 (compatible; bigsur.ai/1.0)") is not None
    assert tricky.match("Mozilla/5.0 (compatible; bigsurXai/1.0)") is None  # '.' is literal
    assert tricky.match("Mozilla/5.0 (compatible; YaK/1.0)") is not None
    assert tricky.match("Mozilla/5.0 Yakutsk-Browser/2.0") is None  # no word boundary
    assert tricky.match("Spider/1.2 (+https://spider.cloud)") is not None
    for harmless in ("Sogou web spider/4.0", "x (compatible; spider-feedback@example.com)"):
        assert tricky.match(harmless) is None, harmless
    assert tricky.match("Mozilla/5.0 Code/1.95.3 Chrome/128") is not None
    for harmless in ("QR Code Reader/2.3", "Barcode/2.0", "code/1.0 lowercase", "Code Review"):
        assert tricky.match(harmless) is None, harmless


def test_the_longest_token_is_reported() -> None:
    found = matcher().match("Mozilla/5.0 (compatible; GoogleOther-Image/1.0)")
    assert found is not None
    assert found.token == "GoogleOther-Image"


def test_the_matcher_is_one_upstream_style_expression() -> None:
    pattern = matcher().pattern
    assert pattern is not None
    assert pattern.pattern.startswith(r"\b(?P<loose>(?i:")
    assert re.escape("Brightbot 1.0") in pattern.pattern


@pytest.mark.parametrize(
    ("user_agent", "category"),
    [
        (agents.SLACKBOT, Category.LINK_PREVIEW),
        (agents.DISCORDBOT, Category.LINK_PREVIEW),
        (agents.IMESSAGE_PREVIEW, Category.LINK_PREVIEW),
        (agents.MASTODON, Category.LINK_PREVIEW),
        (agents.FEEDLY, Category.FEED_READER),
        (agents.NEWSBLUR, Category.FEED_READER),
        (agents.GOOGLEBOT, Category.SEARCH_ENGINE),
        (agents.BINGBOT, Category.SEARCH_ENGINE),
        (agents.GPTBOT, Category.TRAINING),
    ],
)
def test_friendly_agents_are_classified(user_agent: str, category: Category) -> None:
    kind = classify_user_agent(user_agent)
    assert kind is not None
    assert kind.category is category


def test_browsers_are_not_classified_as_agents() -> None:
    for user_agent in (agents.FIREFOX, agents.CHROME, agents.SAFARI_IPHONE, ""):
        assert classify_user_agent(user_agent) is None


def _facts() -> dict[str, str]:
    return {
        "operator": "x",
        "respect": "x",
        "function": "AI Data Scrapers",
        "frequency": "x",
        "description": "x",
    }


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (b"\xff\xfe", "not UTF-8 JSON"),
        (b"[1, 2]", "top level must be a JSON object"),
        (b"{}", "empty"),
        (json.dumps({"Evil\nDisallow: ": _facts()}).encode(), "not a user-agent product token"),
        (json.dumps({"Bot#1": _facts()}).encode(), "not a user-agent product token"),
        (json.dumps({"GoodBot": {"operator": "x"}}).encode(), "missing text field"),
        (json.dumps({"GoodBot": "facts"}).encode(), "facts must be an object"),
        (
            json.dumps({"GoodBot": {**_facts(), "has_name_and_version": "yes"}}).encode(),
            "has_name_and_version",
        ),
    ],
)
def test_a_list_of_the_wrong_shape_is_refused_with_the_reason(raw: bytes, problem: str) -> None:
    with pytest.raises(CrawlerListError, match=problem):
        parse_crawler_list(raw)


def test_the_shipped_list_parses() -> None:
    assert len(parse_crawler_list(DATA_FILE.read_bytes())) == len(crawlers.load_crawlers())
