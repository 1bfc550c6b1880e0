"""What a signed-in member sees at ``/``: filled in by whichever app owns the member's home.

Core imports no domain app, so the feeds app registers its Following feed here in its
``AppConfig.ready``; ``core:home`` stays the one URL of the home page (templates reverse it)
and core still draws the landing page for visitors. The registration names a URL the view
needs (``requires``): under a URLconf without it (the shell's own tests), or with nothing
registered, members get the first-steps page core has always had.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse

from impasto.core import navigation

MemberHomeView = Callable[[HttpRequest], HttpResponse]


@dataclass(frozen=True)
class MemberHome:
    view: MemberHomeView
    requires: str  # a URL name; the view is used only while it resolves


_member_home: MemberHome | None = None


def register_member_home(view: MemberHomeView, *, requires: str) -> MemberHomeView:
    """Serve members' ``/`` with ``view`` (the last registration wins)."""
    global _member_home
    _member_home = MemberHome(view, requires)
    return view


def unregister_member_home() -> None:
    global _member_home
    _member_home = None


def member_home_view() -> MemberHomeView | None:
    """The registered view, or None when none is registered or its URL is not served."""
    home = _member_home
    if home is None or navigation.resolve((home.requires,)) is None:
        return None
    return home.view
