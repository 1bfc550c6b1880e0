"""The site's navigation, declared once and lit up by whichever apps are installed.

The shell ships before the pages it links to. Each entry lists the URL names that may serve
it (the first that resolves wins); an entry none of whose names resolve is simply not shown,
so a later app lights up "Discover" or "Jobs" by adding its URL, without touching templates.
Core imports no domain app: everything here goes through :func:`django.urls.reverse`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavEntry:
    key: str
    label: str | Promise
    icon: str
    url_names: Sequence[str]
    kwargs: Mapping[str, Any] | None = None
    exact: bool = False  # aria-current only on the exact URL (Home), not on its sub-paths
    description: str | Promise = ""


@dataclass(frozen=True)
class NavLink:
    key: str
    label: str | Promise
    icon: str
    url: str
    current: bool
    description: str | Promise = ""


MAIN = (
    NavEntry("home", _("Home"), "home", ("core:home",), exact=True),
    NavEntry("discover", _("Discover"), "compass", ("feeds:discover", "discover:index")),
    NavEntry("search", _("Search"), "search", ("search:search", "search:index")),
    NavEntry("jobs", _("Jobs"), "briefcase", ("jobboard:job-list", "jobboard:index")),
)


def resolve(url_names: Sequence[str], kwargs: Mapping[str, Any] | None = None) -> str | None:
    """The URL of the first name that resolves, or None when no installed app serves it."""
    for name in url_names:
        try:
            return reverse(name, kwargs=dict(kwargs) if kwargs else None)
        except NoReverseMatch:
            continue
    return None


def _is_current(path: str, url: str, *, exact: bool) -> bool:
    if exact or url == "/":
        return path == url
    return path == url or path.startswith(url.rstrip("/") + "/")


def links(
    request: HttpRequest, entries: Sequence[NavEntry], *, kwargs: Mapping[str, Any] | None = None
) -> list[NavLink]:
    found = []
    for entry in entries:
        url = resolve(entry.url_names, entry.kwargs or kwargs)
        if url is not None:
            current = _is_current(request.path, url, exact=entry.exact)
            found.append(
                NavLink(entry.key, entry.label, entry.icon, url, current, entry.description)
            )
    return found


def main_links(request: HttpRequest) -> list[NavLink]:
    return links(request, MAIN)


def account_links(request: HttpRequest) -> list[NavLink]:
    """The signed-in person's menu: profile and settings (log-out is a form, not a link)."""
    user = request.user
    handle = getattr(user, "handle", None)
    if not handle:
        return []
    entries: tuple[NavEntry, ...] = (
        NavEntry(
            "profile",
            _("Your profile"),
            "user",
            ("accounts:profile", "accounts:profile-detail"),
            kwargs={"handle": handle},
        ),
        NavEntry(
            "settings",
            _("Settings"),
            "settings",
            ("accounts:settings", "accounts:profile-edit", "core:appearance"),
        ),
        NavEntry("notices", _("Moderation notices"), "bell", ("moderation:notices",)),
    )
    if getattr(user, "is_staff", False):
        entries += (NavEntry("desk", _("Moderation desk"), "shield", ("moderation:desk",)),)
    return links(request, entries)


# --- the settings side navigation, gathered from every app -----------------------------------
#
# An app adds its own settings page by listing links on its ``AppConfig``::
#
#     class ApiConfig(AppConfig):
#         settings_links = [
#             SettingsLink(section="security", url_name="api:token-list", label=_("Access tokens"))
#         ]
#
# Sections, in order: ``profile``, ``account``, ``security``, ``data``.

SECTIONS: list[tuple[str, str | Promise]] = [
    ("profile", _("Profile")),
    ("account", _("Account")),
    ("security", _("Security")),
    ("data", _("Your data")),
]


@dataclass(frozen=True)
class SettingsLink:
    section: str
    url_name: str
    label: str | Promise
    order: int = 50
    # Other URL names under this entry (so the entry is marked current on them too).
    also: tuple[str, ...] = field(default=())


def settings_links() -> list[tuple[str | Promise, list[SettingsLink]]]:
    """(section title, links) for every section that has links, in order."""
    links: list[SettingsLink] = []
    for config in apps.get_app_configs():
        links.extend(getattr(config, "settings_links", ()))
    sections = []
    for key, title in SECTIONS:
        here = sorted((link for link in links if link.section == key), key=lambda x: x.order)
        if here:
            sections.append((title, here))
    return sections


# The footer: the AI-training / data-mining policy (protection app), then legal pages.
AI_POLICY = ("protection:ai_policy", "protection:ai-policy")
LEGAL = (
    NavEntry("terms", _("Terms of use"), "info", ("legal:terms", "core:terms")),
    NavEntry("privacy", _("Privacy"), "shield", ("legal:privacy", "core:privacy")),
)


def legal_links(request: HttpRequest) -> list[NavLink]:
    return links(request, LEGAL)


# What someone who has just joined might do next: a card above a new member's home feed
# (feeds.views.home), or the whole signed-in home page when no app registered one.
FIRST_STEPS = (
    NavEntry(
        "profile",
        _("Set up your profile"),
        "user",
        ("accounts:profile-edit", "accounts:settings"),
        description=_("A picture, a few words about your work, the fields you work in."),
    ),
    NavEntry(
        "upload",
        _("Publish your first work"),
        "upload",
        ("art:project-create", "portfolio:project-create"),
        description=_("Every image is credited to you and marked as not for AI training."),
    ),
    NavEntry(
        "discover",
        _("Find artists to follow"),
        "compass",
        ("feeds:discover", "discover:index"),
        description=_("Browse by field, medium and software; follow the people you admire."),
    ),
    NavEntry(
        "security",
        _("Turn on two-factor authentication"),
        "shield",
        ("mfa_index",),
        description=_("A code from an app on your phone keeps your portfolio yours."),
    ),
    NavEntry(
        "appearance",
        _("Choose how Impasto looks"),
        "palette",
        ("core:appearance",),
        description=_("Light or dark, English or French."),
    ),
)
