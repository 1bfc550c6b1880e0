"""Settings pages of the social app, in the accounts settings layout (SocialConfig)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from impasto.social.forms import SocialSettingsForm
from impasto.social.selectors.graph import blocked_page, muted_page
from impasto.social.selectors.relations import social_settings_of
from impasto.social.services.graph import social_settings_update
from impasto.social.views._common import (
    done,
    form_invalid,
    friendly,
    member,
    member_required,
    validation_message,
    viewer,
)


@member_required
@require_http_methods(["GET", "POST"])
@friendly
def social_settings(request: HttpRequest) -> HttpResponse:
    """Approve followers, who may message me, quotes, the daily digest."""
    user = member(request)
    current = social_settings_of(user)
    if request.method == "POST":
        form = SocialSettingsForm(request.POST)
        if form.is_valid():
            try:
                social_settings_update(user=user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, validation_message(error))
            else:
                return done(request, _("Your social settings are saved."), back=request.path)
        return form_invalid(request, "social/settings.html", {"form": form})
    form = SocialSettingsForm(
        initial={
            "locked": current.locked,
            "message_policy": current.message_policy,
            "allow_quotes": current.allow_quotes,
            "digest_daily": current.digest_daily,
        }
    )
    return render(request, "social/settings.html", {"form": form})


@member_required
@require_GET
@friendly
def blocked_and_muted(request: HttpRequest) -> HttpResponse:
    """The people one blocks or mutes, with a button to undo each."""
    v = viewer(request)
    return render(
        request,
        "social/settings_blocked.html",
        {"blocked": blocked_page(v, limit=50), "muted": muted_page(v, limit=50)},
    )
