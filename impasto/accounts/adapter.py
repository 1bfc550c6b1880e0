"""How django-allauth fits Impasto: handles, asynchronous email, rate limits, login stages."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import filter_users_by_email
from allauth.core import context as allauth_context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.ratelimit import respond_429
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from impasto.accounts import inactive
from impasto.accounts.models import User
from impasto.accounts.services import email_send_later, user_save_signup
from impasto.accounts.validators import normalize_handle, validate_handle

RESTORE_STAGE = "impasto.accounts.stages.RestoreAccountStage"

# What emails call the site ("Hello from Impasto!"), rather than the request's host name.
SITE = SimpleNamespace(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    # --- handles -------------------------------------------------------------------------
    def clean_username(self, username: str, shallow: bool = False) -> str:
        """``@Mira`` and ``MIRA`` both become ``mira``; then our rules, then uniqueness."""
        handle = normalize_handle(username)
        validate_handle(handle)
        return super().clean_username(handle, shallow=shallow)

    def save_user(
        self,
        request: HttpRequest,
        user: AbstractBaseUser,
        form: BaseForm,
        commit: bool = True,
    ) -> AbstractBaseUser:
        user = super().save_user(request, user, form, commit=False)
        assert isinstance(user, User)
        if commit:
            user_save_signup(user=user)
        return user

    # --- email ---------------------------------------------------------------------------
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render now, send from the task worker.

        A password reset for an unknown address and for a real account render an email each
        and return at once: neither the answer nor its timing says whether the account exists.
        """
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": SITE}
        ctx.update(context)
        email_send_later(message=self.render_mail(template_prefix, email, ctx))

    # --- rate limits ---------------------------------------------------------------------
    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """Count failed log-ins per account, whichever name (handle or email) was typed.

        allauth keys them by the typed text, which would give an attacker one budget for the
        handle and another for each email address of the same account.
        """
        login = str(credentials.get("email") or credentials.get("username") or "")
        if "@" in login.lstrip("@"):
            users = filter_users_by_email(login, is_active=True, prefer_verified=True)
            user_id = users[0].pk if users else None
            fallback = login.strip().lower()
        else:
            fallback = normalize_handle(login)
            user_id = User.objects.filter(handle=fallback).values_list("pk", flat=True).first()
        return f"user:{user_id}" if user_id is not None else f"login:{fallback}"

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Too many failed log-ins answer 429, like every other throttle, not a form error."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            raise ImmediateHttpResponse(respond_429(request)) from None

    # --- log-in --------------------------------------------------------------------------
    def get_login_stages(self) -> list[str]:
        # After the password and any second factor: an account waiting for deletion is only
        # let in by cancelling the deletion.
        return [*super().get_login_stages(), RESTORE_STAGE]

    def respond_user_inactive(self, request: HttpRequest, user: AbstractBaseUser) -> HttpResponse:
        """The password was right but the account is closed.

        When an app can explain why (moderation, for a suspension or a ban), the session
        remembers the proven identity for a short while (never logging anyone in) and the
        person is sent to that explanation; otherwise allauth's generic page, as before.
        """
        url = inactive.explanation_url(user) if isinstance(user, User) else None
        if url is None or not isinstance(user, User):
            return super().respond_user_inactive(request, user)
        inactive.proof_remember(request, user)
        return HttpResponseRedirect(url)
