"""Profile tabs and header parts, gathered from every app.

The settings side navigation lives in :mod:`impasto.core.navigation` (``SettingsLink``,
re-exported here for the apps that import it from accounts).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.utils.functional import Promise
from django.utils.module_loading import import_string

from impasto.core.navigation import SECTIONS, SettingsLink, settings_links

__all__ = [
    "SECTIONS",
    "ProfileHeader",
    "ProfileTab",
    "ProfileTabContent",
    "ProfileTabConverter",
    "SettingsLink",
    "profile_header_providers",
    "profile_tab_content",
    "profile_tabs",
    "settings_links",
]


# --- profile tabs and header parts, gathered from every app ----------------------------------
#
# The public profile (/@handle) shows a header and a row of tabs. Apps contribute both from
# their AppConfig, like the settings links above::
#
#     class SocialConfig(AppConfig):
#         profile_tabs = [
#             ProfileTab(key="posts", label=_("Posts"), order=20,
#                        content="impasto.social.views.people.posts_tab"),
#         ]
#         profile_header = "impasto.social.views.people.profile_header"
#
# The tab with the lowest ``order`` is the default one, shown at /@handle; every tab is also at
# /@handle/<key>. ``content`` is called with (request, person) and returns a ProfileTabContent;
# ``profile_header`` is called with (request, person) and returns a ProfileHeader. Either may
# raise Http404 (someone the reader may not see). Both are imported by dotted path, so accounts
# never imports another app's views.


@dataclass(frozen=True)
class ProfileTab:
    key: str  # the URL segment: lowercase letters, digits and dashes
    label: str | Promise
    content: str  # dotted path of a callable (request, person) -> ProfileTabContent
    order: int = 50


@dataclass
class ProfileTabContent:
    """What a tab shows: a template and its context (keys prefixed by the app, to stay apart).

    ``partial`` asks for the template alone, without the page around it: a "Load more" request
    from htmx that only wants the next items.
    """

    template: str
    context: dict[str, Any] = field(default_factory=dict)
    partial: bool = False
    status: int = 200  # a broken "Load more" link answers 400 with a partial saying so


@dataclass
class ProfileHeader:
    """An app's part of the profile header: templates for the actions beside the name (buttons,
    menus) and for the line of figures under it, and the context they read."""

    context: dict[str, Any] = field(default_factory=dict)
    actions: str = ""
    stats: str = ""


def profile_tabs() -> list[ProfileTab]:
    """Every app's tabs, in order; the first one is the default tab of /@handle."""
    tabs: list[ProfileTab] = []
    for config in apps.get_app_configs():
        tabs.extend(getattr(config, "profile_tabs", ()))
    return sorted(tabs, key=lambda tab: tab.order)


def profile_header_providers() -> list[Callable[..., ProfileHeader]]:
    return [
        import_string(path)
        for config in apps.get_app_configs()
        if (path := getattr(config, "profile_header", None))
    ]


def profile_tab_content(tab: ProfileTab) -> Callable[..., ProfileTabContent]:
    return import_string(tab.content)


class ProfileTabConverter:
    """``<profiletab:tab>`` in a URL: matches only the key of a declared tab.

    Any other word falls through to the next URL pattern, so other apps keep their own pages
    under /@handle/ (followers, following...) whatever order the URLconfs are included in.
    """

    regex = "[a-z][a-z0-9-]{0,30}"

    def to_python(self, value: str) -> str:
        if value not in {tab.key for tab in profile_tabs()}:
            raise ValueError(value)
        return value

    def to_url(self, value: str) -> str:
        return value
