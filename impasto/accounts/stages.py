"""A log-in stage for accounts waiting out their deletion grace period."""

from __future__ import annotations

from typing import Any

from allauth.account.stages import LoginStage
from django.http import HttpResponseRedirect
from django.urls import reverse

from impasto.accounts.models import User


class RestoreAccountStage(LoginStage):
    """Runs after the password and any second factor, before the session is logged in.

    An account scheduled for deletion is not logged in as usual: the person is shown when it
    will be erased and may cancel the deletion (then they are logged in) or leave it be.
    """

    key = "impasto_restore_account"
    urlname = "accounts:restore"

    def handle(self) -> tuple[Any, bool]:
        user = self.login.user
        if isinstance(user, User) and user.deletion_scheduled_at is not None:
            return HttpResponseRedirect(reverse(self.urlname)), True
        return None, True
