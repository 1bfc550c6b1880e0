"""The machine-readable "do not train" signals: response headers, robots.txt, ai.txt, TDMRep.

Every value here is one constant, so a vocabulary that moves (the IETF ``aipref`` labels have
changed twice since 2025) is changed in one place. See shared/ANTI-AI.md, B2.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, get_urlconf, reverse

from impasto.protection.crawlers import DEFAULT_BLOCKED, Category, blocked_tokens

# DeviantArt's convention, honoured by img2dataset (the LAION downloader) by default. Never
# "noindex"/"noimageindex": those would take artists out of ordinary search too.
X_ROBOTS_TAG = "noai, noimageai"
# W3C TDM Reservation Protocol: rights reserved (EU DSM Directive, Art. 4).
TDM_RESERVATION = "1"
# IETF aipref (draft-ietf-aipref-attach / -vocab): "train-ai" is in every revision so far.
CONTENT_USAGE = "train-ai=n"
# Cloudflare's Content Signals, a robots.txt line.
CONTENT_SIGNAL = "search=yes, ai-train=no"

# Never for anyone's index: account, settings, API and admin areas. Other apps add theirs here.
PRIVATE_PREFIXES = ("/accounts/", "/admin/", "/api/", "/settings/", "/i18n/")

# The files that carry the opt-out itself: served to every agent, refused crawlers included,
# since a crawler that honours them has to be able to read them.
SIGNAL_PATHS = frozenset({"/robots.txt", "/ai.txt", "/.well-known/tdmrep.json"})


def policy_url() -> str:
    """Absolute URL of the human-readable AI and text-and-data-mining policy (the tdm-policy)."""
    return _policy_url(settings.SITE_URL, str(get_urlconf() or settings.ROOT_URLCONF))


@cache
def _policy_url(site_url: str, urlconf: str) -> str:
    # Keyed by the URLconf too: one without the policy page (the shell's own tests) must not
    # fail or succeed depending on which URLconf happened to fill the cache first.
    try:
        return site_url + reverse("protection:ai_policy", urlconf=urlconf)
    except NoReverseMatch:
        return ""


def blocked_categories() -> frozenset[Category]:
    """The crawler categories refused (``IMPASTO_CRAWLER_BLOCKED_CATEGORIES``)."""
    configured = getattr(settings, "CRAWLER_BLOCKED_CATEGORIES", None)
    if configured is None:
        return DEFAULT_BLOCKED
    return _categories(tuple(configured))


@cache
def _categories(names: tuple[str, ...]) -> frozenset[Category]:
    return frozenset(Category(name) for name in names)


def response_headers() -> dict[str, str]:
    """The opt-out headers every response carries (pages, images, API, static files)."""
    return {
        "X-Robots-Tag": X_ROBOTS_TAG,
        "tdm-reservation": TDM_RESERVATION,
        "tdm-policy": policy_url(),
        "Content-Usage": CONTENT_USAGE,
    }


def robots_txt(*, blocked: frozenset[Category], site_url: str) -> str:
    return _robots_txt(blocked, site_url, policy_url())


@cache
def _robots_txt(blocked: frozenset[Category], site_url: str, policy: str) -> str:
    tokens = blocked_tokens(blocked)
    lines = [
        f"# robots.txt for {site_url}",
        "#",
        "# The artwork on this site is made by people and is not for AI training. Text and data",
        "# mining rights are reserved (EU Directive 2019/790, Art. 4; W3C TDMRep, see",
        f"# /.well-known/tdmrep.json). Our policy: {policy}",
        "#",
        "# The AI crawlers below come from the ai.robots.txt list",
        "# (https://github.com/ai-robots-txt/ai.robots.txt, MIT licence).",
        "",
    ]
    if tokens:
        lines += [f"User-agent: {token}" for token in tokens]
        lines += ["Disallow: /", ""]
    lines += [
        "# Everyone else, ordinary search engines included, may index the public pages.",
        "User-agent: *",
        f"Content-Signal: {CONTENT_SIGNAL}",
        f"Content-Usage: {CONTENT_USAGE}",
        *(f"Disallow: {prefix}" for prefix in PRIVATE_PREFIXES),
        "Allow: /",
        "",
    ]
    return "\n".join(lines)


AI_TXT_EXTENSIONS = ("jpg", "jpeg", "png", "webp", "avif", "gif", "tif", "tiff", "bmp", "heic")


def ai_txt(*, site_url: str) -> str:
    """Spawning's ai.txt: robots.txt syntax, read by its API's users at download time."""
    lines = [
        f"# ai.txt for {site_url}",
        "# Nothing on this site may be used to train AI models or be added to AI datasets.",
        f"# Our policy: {policy_url()}",
        "",
        "User-Agent: *",
        "Disallow: /",
        *(f"Disallow: *.{extension}" for extension in AI_TXT_EXTENSIONS),
        "",
    ]
    return "\n".join(lines)


def tdmrep_rules() -> list[dict[str, Any]]:
    """``/.well-known/tdmrep.json``: a JSON array of rules; one covers the whole site."""
    return [{"location": "/", "tdm-reservation": 1, "tdm-policy": policy_url()}]
