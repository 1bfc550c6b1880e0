"""The opt-out files and the policy page. Every response also gets the headers (middleware)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from impasto.protection import optout

_ONE_HOUR = 60 * 60


@require_safe
@cache_control(public=True, max_age=_ONE_HOUR)
def robots_txt(request: HttpRequest) -> HttpResponse:
    text = optout.robots_txt(blocked=optout.blocked_categories(), site_url=settings.SITE_URL)
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


@require_safe
@cache_control(public=True, max_age=_ONE_HOUR)
def ai_txt(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        optout.ai_txt(site_url=settings.SITE_URL), content_type="text/plain; charset=utf-8"
    )


@require_safe
@cache_control(public=True, max_age=_ONE_HOUR)
def tdmrep_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(optout.tdmrep_rules(), safe=False)


@require_safe
def ai_policy(request: HttpRequest) -> HttpResponse:
    return render(request, "protection/ai_policy.html")
