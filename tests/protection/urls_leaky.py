"""The project's URLs plus a deliberately leaky view, to prove the originals walk can fail."""

from __future__ import annotations

from django.core.files.storage import storages
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import include, path

from impasto.imaging.models import MediaAsset


def leaky_original(request: HttpRequest, asset_id: int) -> HttpResponse:
    asset = MediaAsset.objects.filter(pk=asset_id).first()
    if asset is None:
        raise Http404
    with storages["private"].open(asset.original_key, "rb") as handle:
        return HttpResponse(handle.read(), content_type="image/jpeg")


urlpatterns = [
    path("leak/original/<int:asset_id>", leaky_original),
    path("", include("config.urls")),
]
