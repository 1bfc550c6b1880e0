"""An inactive account whose password was just proven: remember who it is, briefly.

allauth calls :meth:`AccountAdapter.respond_user_inactive` only once the credentials are
checked (and refuses the log-in because the account is inactive). An app that can explain why
an account is closed (moderation, for a suspension or a ban) registers an *explainer*: a
function that returns the URL of its explanation page for that user, or ``None``. The first
explainer that answers gets the person; the proven identity is kept in the anonymous session
for :data:`PROOF_LIFETIME` seconds (the user id and when it was proven) and never logs anyone
in: ``request.user`` stays anonymous, and only the pages that call :func:`proven_user_id`
read it. With no explainer answering, allauth's generic "account inactive" page is shown.

Accounts never imports the apps that register here (they build on accounts).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest

from impasto.accounts.models import User

PROOF_KEY = "impasto_inactive_proof"
PROOF_LIFETIME = 30 * 60  # seconds

Explainer = Callable[[User], str | None]
_explainers: list[Explainer] = []


def register_explainer(explainer: Explainer) -> None:
    """Register ``explainer(user) -> url | None`` (idempotent; from an AppConfig.ready)."""
    if explainer not in _explainers:
        _explainers.append(explainer)


def explanation_url(user: User) -> str | None:
    """The page that explains why this inactive account is closed, if an app has one."""
    for explainer in _explainers:
        url = explainer(user)
        if url:
            return url
    return None


def proof_remember(request: HttpRequest, user: User) -> None:
    """Keep, in the (anonymous) session, that this person just proved they own ``user``."""
    request.session[PROOF_KEY] = {"user": user.pk, "at": int(time.time())}


def proof_forget(request: HttpRequest) -> None:
    request.session.pop(PROOF_KEY, None)


def proven_user_id(request: HttpRequest) -> int | None:
    """The inactive account this session proved it owns in the last 30 minutes, or None."""
    proof = request.session.get(PROOF_KEY)
    if not isinstance(proof, dict):
        return None
    user_id, at = proof.get("user"), proof.get("at")
    if not isinstance(user_id, int) or not isinstance(at, int | float):
        return None
    if not 0 <= time.time() - at <= PROOF_LIFETIME:
        proof_forget(request)
        return None
    return user_id
