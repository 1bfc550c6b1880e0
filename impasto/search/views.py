"""The search page: one form, results grouped by kind (a GET form: links can be shared)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from impasto.accounts.models import User
from impasto.feeds.selectors import feed_filters_of
from impasto.search.forms import SearchForm
from impasto.search.selectors import SearchParams, SearchResults, search
from impasto.social.selectors.relations import viewer_from_request

KINDS = {"all": ("people", "posts", "tags"), "people": ("people",), "posts": ("posts",)}


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    results: SearchResults | None = None
    status = 200
    if form.is_bound:
        if form.is_valid() and form.cleaned_data["q"].strip():
            data = form.cleaned_data
            kind = data["type"] or "all"
            user = request.user if isinstance(request.user, User) else None
            results = search(
                viewer_from_request(request),
                SearchParams(
                    query=data["q"],
                    kinds=KINDS.get(kind, (kind,)),
                    field=data["field"] or None,
                    open_to_work=data["open_to_work"],
                ),
                filters=feed_filters_of(user),
            )
        elif not form.is_valid():
            status = 400
    return render(request, "search/search.html", {"form": form, "results": results}, status=status)
