"""The project's URLs plus a gallery that stands in for the artists' pages in the simulation.

Public profiles do not show artworks yet (the art app is being built), so /sim/ lists the
artists and /sim/@handle shows each one's ready images through the real ``{% picture %}`` tag,
as the artwork pages will; the images themselves are served by the real variant view. Each one
is in a public project (``tests.protection.media.asset_with_variants``): an artwork no project
holds is its owner's only, and the scrapers here are strangers.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.template import RequestContext, Template
from django.urls import include, path

from impasto.accounts.models import User
from impasto.imaging.models import MediaAsset

DIRECTORY = Template(
    "<!doctype html><html><head><title>Artists</title></head><body><ul>"
    '{% for artist in artists %}<li><a href="/sim/@{{ artist.handle }}">{{ artist.handle }}</a>'
    "</li>{% endfor %}</ul></body></html>"
)
GALLERY = Template(
    "{% load imaging %}<!doctype html><html><head><title>{{ artist.handle }}</title></head>"
    "<body>{% for asset in assets %}{% picture asset %}{% endfor %}</body></html>"
)


def directory(request: HttpRequest) -> HttpResponse:
    artists = User.objects.filter(media_assets__status="ready").distinct().order_by("handle")
    return HttpResponse(DIRECTORY.render(RequestContext(request, {"artists": artists})))


def gallery(request: HttpRequest, handle: str) -> HttpResponse:
    artist = User.objects.filter(handle=handle).first()
    if artist is None:
        raise Http404
    assets = MediaAsset.objects.filter(owner=artist, status="ready").prefetch_related("variants")
    context = RequestContext(request, {"artist": artist, "assets": assets})
    return HttpResponse(GALLERY.render(context))


urlpatterns = [
    path("sim/", directory),
    path("sim/@<str:handle>", gallery),
    path("", include("config.urls")),
]
