"""Which kind of client a User-Agent says it is: a listed AI crawler, or a known friendly agent.

The AI crawlers come from the upstream list (:mod:`impasto.protection.crawlers`). Link-preview
fetchers, feed readers and ordinary search engines are not on it, so this module keeps a short
list of its own, used to let them through the hot-link rule and to describe them in logs. A
User-Agent is only a claim: it lets honest agents through, it stops nothing that lies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from impasto.protection.crawlers import Category, matcher

# Product tokens as the agents send them (word-bounded, case-insensitive).
FRIENDLY_AGENTS: dict[Category, tuple[str, ...]] = {
    Category.LINK_PREVIEW: (
        "facebookexternalhit",
        "Facebot",
        "Twitterbot",
        "Slackbot",
        "Slackbot-LinkExpanding",
        "Slack-ImgProxy",
        "Discordbot",
        "TelegramBot",
        "WhatsApp",
        "LinkedInBot",
        "Pinterestbot",
        "redditbot",
        "SkypeUriPreview",
        "Iframely",
        "Embedly",
        "Mastodon",
        "Bluesky Cardyb",
        "Signal-Desktop",
        "vkShare",
        "Snapchat",
    ),
    Category.FEED_READER: (
        "Feedly",
        "Feedbin",
        "Inoreader",
        "NewsBlur",
        "FreshRSS",
        "Miniflux",
        "Tiny Tiny RSS",
        "NetNewsWire",
        "The Old Reader",
        "theoldreader.com",
        "Feedbro",
        "BazQux",
        "Reeder",
        "FeedFetcher-Google",
        "Feedspot",
        "rss2email",
        "Liferea",
    ),
    Category.SEARCH_ENGINE: (
        "Googlebot",
        "Googlebot-Image",
        "bingbot",
        "DuckDuckBot",
        "Applebot",
        "YandexBot",
        "YandexImages",
        "Baiduspider",
        "Qwantbot",
        "SeznamBot",
        "MojeekBot",
        "Yahoo! Slurp",
    ),
}


@dataclass(frozen=True, slots=True)
class AgentKind:
    token: str
    category: Category
    listed: bool  # on the upstream AI-crawler list


def _friendly_pattern() -> tuple[re.Pattern[str], dict[str, Category]]:
    by_lower = {
        token.lower(): category for category, tokens in FRIENDLY_AGENTS.items() for token in tokens
    }
    tokens = sorted(by_lower, key=lambda token: (-len(token), token))
    pattern = re.compile(
        r"\b(" + "|".join(re.escape(token) for token in tokens) + r")\b", re.IGNORECASE
    )
    return pattern, by_lower


_FRIENDLY, _FRIENDLY_CATEGORY = _friendly_pattern()


@lru_cache(maxsize=4096)
def classify_user_agent(user_agent: str) -> AgentKind | None:
    """The AI-list entry the agent names, else the friendly agent it claims to be, else None."""
    if not user_agent:
        return None
    listed = matcher().match(user_agent)
    if listed is not None:
        return AgentKind(token=listed.token, category=listed.category, listed=True)
    found = _FRIENDLY.search(user_agent)
    if found is None:
        return None
    token = found.group(1)
    return AgentKind(token=token, category=_FRIENDLY_CATEGORY[token.lower()], listed=False)
