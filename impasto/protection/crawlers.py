"""The AI crawler list: load it, sort its tokens into categories, recognise them in a User-Agent.

The list is upstream's ``robots.json`` (``data/ai-crawlers.json``, see ``data/README.md``):
product tokens such as ``GPTBot`` mapped to what their operators say they do. Each token gets
one :class:`Category`, from explicit overrides for the crawlers whose purpose is known (the
spec names them) and otherwise from the ``function`` and ``description`` fields. Which
categories are refused is a setting (``IMPASTO_CRAWLER_BLOCKED_CATEGORIES``); link previews and
search engines are allowed by default.

Matching follows upstream's own server snippets: one regular expression,
``\\b(Token1|Token2|...)\\b``, case-insensitive, over the whole User-Agent header, tokens
escaped. A plain substring test on short tokens would refuse unrelated agents, and even a
word-bounded one is too loose for a few generic words (``Code``, ``Spider``): those must appear
as a ``Name/version`` product, spelt exactly, before they count (see :data:`PRODUCT_ONLY`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "data" / "ai-crawlers.json"
NOTE_FILE = DATA_FILE.parent / "README.md"

# What a token may look like: it is written into robots.txt, so no line breaks, no '#', no ':'.
# Upstream's tokens use letters, digits, spaces, '.', '_', '-' and '/'.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._/-]{0,99}")
REQUIRED_FIELDS = ("operator", "respect", "function", "frequency", "description")


class Category(StrEnum):
    """What a crawler does with what it fetches, as far as its operator tells."""

    TRAINING = "training"  # collects data to train models (GPTBot, CCBot, img2dataset ...)
    AI_DATA = "ai_data"  # scrapes or sells data for AI products (Diffbot, Scrapy ...)
    AI_SEARCH = "ai_search"  # indexes for AI answers (OAI-SearchBot, PerplexityBot ...)
    ASSISTANT = "assistant"  # fetches on a user's prompt: assistants, agents, coding agents
    UNDOCUMENTED = "undocumented"  # AI-related, purpose not published
    LINK_PREVIEW = "link_preview"  # builds the card when a link is shared (facebookexternalhit)
    SEARCH_ENGINE = "search_engine"  # an ordinary search index (Applebot)
    # Never in the AI list; known by :mod:`impasto.protection.agents` only.
    FEED_READER = "feed_reader"


# Refused unless the operator says otherwise. Link previews and search engines are allowed:
# blocking them breaks shares and removes artists from search, and neither trains models.
DEFAULT_BLOCKED = frozenset(
    {
        Category.TRAINING,
        Category.AI_DATA,
        Category.AI_SEARCH,
        Category.ASSISTANT,
        Category.UNDOCUMENTED,
    }
)

# The crawlers whose purpose the spec (shared/ANTI-AI.md, B2) states, and a few whose
# free-text fields would otherwise land them in a weaker category.
OVERRIDES: Mapping[str, Category] = {
    # Training: the clear blocks.
    "GPTBot": Category.TRAINING,
    "CCBot": Category.TRAINING,
    "ClaudeBot": Category.TRAINING,
    "anthropic-ai": Category.TRAINING,
    "Bytespider": Category.TRAINING,
    "TikTokSpider": Category.TRAINING,
    "Google-Extended": Category.TRAINING,
    "Applebot-Extended": Category.TRAINING,
    "meta-externalagent": Category.TRAINING,
    "Meta-ExternalAgent": Category.TRAINING,
    "FacebookBot": Category.TRAINING,
    "img2dataset": Category.TRAINING,
    "LAIONDownloader": Category.TRAINING,
    "laion-huggingface-processor": Category.TRAINING,
    "cohere-training-data-crawler": Category.TRAINING,
    "Webzio-Extended": Category.TRAINING,
    "webzio-extended": Category.TRAINING,
    "ImagesiftBot": Category.TRAINING,
    "imageSpider": Category.TRAINING,
    # AI search: they decide whether artists are cited in AI answers.
    "OAI-SearchBot": Category.AI_SEARCH,
    "PerplexityBot": Category.AI_SEARCH,
    "Claude-SearchBot": Category.AI_SEARCH,
    "Amazonbot": Category.AI_SEARCH,
    "PetalBot": Category.AI_SEARCH,
    "YouBot": Category.AI_SEARCH,
    "DuckAssistBot": Category.AI_SEARCH,
    "meta-webindexer": Category.AI_SEARCH,
    "iaskspider/2.0": Category.AI_SEARCH,
    # A scraping framework used for everything, training included.
    "Scrapy": Category.AI_DATA,
    # User-triggered fetchers.
    "ChatGPT-User": Category.ASSISTANT,
    "Perplexity-User": Category.ASSISTANT,
    "Claude-User": Category.ASSISTANT,
    "cohere-ai": Category.ASSISTANT,
    "MistralAI-User": Category.ASSISTANT,
    "MistralAI-User/1.0": Category.ASSISTANT,
    # Meta's link-preview fetcher: blocking it breaks every share on Meta's apps (and rich
    # links in Apple's Messages). Upstream lists it because it may also feed AI; we allow it
    # by default, and an operator can refuse the category.
    "facebookexternalhit": Category.LINK_PREVIEW,
    # Apple's search crawler (Spotlight, Siri suggestions); Apple's training opt-out is the
    # separate robots.txt token Applebot-Extended, refused above.
    "Applebot": Category.SEARCH_ENGINE,
}

# Generic words that, word-bounded and case-insensitive, match unrelated agents ("QR Code
# Reader", "Sogou web spider", "... spider-feedback@bytedance.com"). They count only as an
# exact ``Name/version`` product. Upstream flags some with ``has_name_and_version``; those join
# this set automatically.
PRODUCT_ONLY = frozenset({"Code", "Spider"})

_FUNCTION_CATEGORIES: Mapping[str, Category] = {
    "ai assistants": Category.ASSISTANT,
    "ai agents": Category.ASSISTANT,
    "ai coding agents": Category.ASSISTANT,
    "ai search crawlers": Category.AI_SEARCH,
    "ai data scrapers": Category.AI_DATA,
    "ai data providers": Category.AI_DATA,
    "undocumented ai agents": Category.UNDOCUMENTED,
}
_TRAINING_WORDS = re.compile(
    r"\btrain(s|ed|ing)?\b|\bllms?\b|\bdatasets?\b|language models?|machine learning models?",
    re.IGNORECASE,
)
_USER_TRIGGERED = re.compile(
    r"user[- ]initiated|user prompts?|on behalf of (its |their )?users?|user actions?",
    re.IGNORECASE,
)
_SEARCH_WORDS = re.compile(r"\bsearch\b", re.IGNORECASE)
_UNCLEAR = re.compile(r"^\s*(unclear|no information|description unavailable)", re.IGNORECASE)


class CrawlerListError(ValueError):
    """The crawler list does not have the shape of upstream's robots.json."""


@dataclass(frozen=True, slots=True)
class Crawler:
    token: str
    operator: str
    respect: str
    function: str
    description: str
    has_name_and_version: bool
    category: Category


@dataclass(frozen=True, slots=True)
class CrawlerMatch:
    token: str
    category: Category


def parse_crawler_list(raw: bytes) -> dict[str, dict[str, Any]]:
    """Check that ``raw`` is upstream's robots.json shape and return it, or raise with why."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CrawlerListError(f"not UTF-8 JSON: {error}") from None
    if not isinstance(data, dict):
        raise CrawlerListError("the top level must be a JSON object of token: facts")
    if not data:
        raise CrawlerListError("the list is empty")
    problems: list[str] = []
    for token, facts in data.items():
        if not TOKEN_SHAPE.fullmatch(token) or token != token.strip():
            problems.append(f"{token!r}: not a user-agent product token")
            continue
        if not isinstance(facts, dict):
            problems.append(f"{token!r}: facts must be an object")
            continue
        missing = [name for name in REQUIRED_FIELDS if not isinstance(facts.get(name), str)]
        if missing:
            problems.append(f"{token!r}: missing text field(s) {', '.join(missing)}")
        flag = facts.get("has_name_and_version", False)
        if not isinstance(flag, bool):
            problems.append(f"{token!r}: has_name_and_version must be true or false")
    if problems:
        shown = "; ".join(problems[:10])
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        raise CrawlerListError(f"{len(problems)} bad entries: {shown}{more}")
    return data


def categorise(token: str, facts: Mapping[str, Any]) -> Category:
    """The category of one token: the override if there is one, else read from its facts."""
    if token in OVERRIDES:
        return OVERRIDES[token]
    function = str(facts.get("function", "")).strip()
    description = str(facts.get("description", "")).strip()
    text = f"{function} {description}"
    by_function = _FUNCTION_CATEGORIES.get(function.lower())
    # A crawler that says it gathers training data is a training crawler whatever its
    # directory heading, unless it only fetches on a user's request.
    if by_function is not Category.ASSISTANT and _TRAINING_WORDS.search(text):
        return Category.TRAINING
    if by_function is not None:
        return by_function
    if _USER_TRIGGERED.search(text):
        return Category.ASSISTANT
    if _SEARCH_WORDS.search(function):
        return Category.AI_SEARCH
    if _UNCLEAR.search(function):
        return Category.UNDOCUMENTED
    # Everything else on an AI-crawler list collects data for AI in some way.
    return Category.AI_DATA


def build_crawlers(data: Mapping[str, Mapping[str, Any]]) -> dict[str, Crawler]:
    return {
        token: Crawler(
            token=token,
            operator=str(facts.get("operator", "")),
            respect=str(facts.get("respect", "")),
            function=str(facts.get("function", "")),
            description=str(facts.get("description", "")),
            has_name_and_version=bool(facts.get("has_name_and_version", False)),
            category=categorise(token, facts),
        )
        for token, facts in data.items()
    }


@cache
def load_crawlers(path: Path = DATA_FILE) -> dict[str, Crawler]:
    """The shipped list, read and categorised once per process."""
    return build_crawlers(parse_crawler_list(path.read_bytes()))


class CrawlerMatcher:
    """One compiled expression that names the listed token a User-Agent carries, if any."""

    def __init__(self, crawlers: Iterable[Crawler]) -> None:
        crawlers = list(crawlers)
        self._by_lower = {crawler.token.lower(): crawler for crawler in crawlers}
        self._by_exact = {crawler.token: crawler for crawler in crawlers}
        strict = sorted(
            (c.token for c in crawlers if c.token in PRODUCT_ONLY or c.has_name_and_version),
            key=lambda token: (-len(token), token),
        )
        loose = sorted(
            (c.token for c in crawlers if c.token not in strict),
            key=lambda token: (-len(token), token),
        )
        # Longest first, so "GoogleOther-Image" is reported rather than "GoogleOther".
        parts = []
        if loose:
            parts.append(r"\b(?P<loose>(?i:" + "|".join(map(re.escape, loose)) + r"))\b")
        if strict:
            parts.append(r"\b(?P<strict>" + "|".join(map(re.escape, strict)) + r")/[0-9]")
        self.pattern = re.compile("|".join(parts)) if parts else None
        # Scanning a browser's User-Agent against ~170 alternatives costs ~60 us; visitors share
        # a few hundred distinct strings, so remember recent answers (bounded: the header is the
        # client's to vary).
        self.match = lru_cache(maxsize=4096)(self._match)  # type: ignore[method-assign]

    def match(self, user_agent: str) -> CrawlerMatch | None:
        """The listed crawler ``user_agent`` names, or None."""
        return self._match(user_agent)

    def _match(self, user_agent: str) -> CrawlerMatch | None:
        if not user_agent or self.pattern is None:
            return None
        found = self.pattern.search(user_agent)
        if found is None:
            return None
        groups = found.groupdict()
        if groups.get("loose"):
            # Upstream lists a few tokens in two spellings (Meta-ExternalAgent and
            # meta-externalagent): report the one written as the agent wrote it.
            text = groups["loose"]
            crawler = self._by_exact.get(text) or self._by_lower[text.lower()]
        else:
            crawler = self._by_exact[groups["strict"]]
        return CrawlerMatch(token=crawler.token, category=crawler.category)


@cache
def matcher() -> CrawlerMatcher:
    """The matcher over the whole shipped list, compiled once per process."""
    return CrawlerMatcher(load_crawlers().values())


def blocked_tokens(blocked: frozenset[Category]) -> list[str]:
    """The listed tokens whose category is refused, in the list's order."""
    return [c.token for c in load_crawlers().values() if c.category in blocked]
