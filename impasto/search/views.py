"""The search page: one form, results grouped by kind (a GET form: links can be shared)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from impasto.accounts.models import User
from impasto.core.vocab import Discipline
from impasto.feeds.selectors import feed_filters_of
from impasto.search.forms import SearchForm
from impasto.search.selectors import (
    SearchParams,
    SearchResults,
    all_kinds,
    registered_facets,
    search,
)
from impasto.social.selectors.relations import viewer_from_request


def _facet_table(request: HttpRequest, results: SearchResults) -> list[dict[str, object]]:
    """The facet counts with their labels and links (this search, narrowed to the value), for
    the page: field, then the registered ones."""
    labels: dict[str, dict[str, object]] = {"field": dict(Discipline.choices)}
    titles: dict[str, object] = {"field": SearchForm.base_fields["field"].label}
    for facet in registered_facets().values():
        labels[facet.name] = dict(facet.choices)
        titles[facet.name] = facet.label
    table = []
    for name, counts in results.facets.items():
        if counts and name in labels:
            table.append(
                {
                    "name": name,
                    "title": titles[name],
                    "values": [
                        {
                            "label": labels[name].get(c.value, c.value),
                            "count": c.count,
                            "url": "?" + _narrowed(request, name, c.value),
                            "current": request.GET.get(name) == c.value,
                        }
                        for c in counts
                    ],
                }
            )
    return table


def _narrowed(request: HttpRequest, name: str, value: str) -> str:
    query = request.GET.copy()
    query[name] = value
    return query.urlencode()


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
                    kinds=all_kinds() if kind == "all" else (kind,),
                    field=data["field"] or None,
                    open_to_work=data["open_to_work"],
                    medium=data.get("medium") or None,
                    software=data.get("software") or None,
                ),
                filters=feed_filters_of(user),
            )
        elif not form.is_valid():
            status = 400
    context = {
        "form": form,
        "results": results,
        "facets": _facet_table(request, results) if results else [],
    }
    return render(request, "search/search.html", context, status=status)
