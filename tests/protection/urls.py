"""The project's URLs plus small test views that stand in for the image-variant view."""

from __future__ import annotations

import io

from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from PIL import Image

from impasto.protection.decorators import hotlink_protected, image_protection, rate_limited


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (185, 68, 28)).save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png()


@image_protection(bucket="variants", capacity=3, refill_per_second=0.5)
def variant(request: HttpRequest, name: str) -> HttpResponse:
    return HttpResponse(PNG, content_type="image/png")


@hotlink_protected
def hotlink_only(request: HttpRequest) -> HttpResponse:
    return HttpResponse(PNG, content_type="image/png")


@rate_limited("api-test", capacity=2, refill_per_second=1)
def api_thing(request: HttpRequest) -> HttpResponse:
    return HttpResponse('{"ok": true}', content_type="application/json")


@rate_limited("page-test", capacity=1, refill_per_second=0.1)
def page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<!doctype html><html><head><title>t</title></head><body>ok</body></html>")


urlpatterns = [
    path("test-media/<str:name>.png", variant, name="test_variant"),
    path("test-hotlink.png", hotlink_only, name="test_hotlink"),
    path("api/test-thing", api_thing, name="test_api"),
    path("test-page/", page, name="test_page"),
    path("", include("config.urls")),
]
