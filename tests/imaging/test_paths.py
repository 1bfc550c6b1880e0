"""``variant_path`` is ``reverse("imaging:variant", ...)`` without a resolver walk per variant."""

from __future__ import annotations

import hashlib

import pytest
from django.test import override_settings
from django.urls import clear_script_prefix, include, path, reverse, set_script_prefix

from impasto.imaging.models import EXTENSIONS
from impasto.imaging.paths import variant_path

SHAS = [hashlib.sha256(str(n).encode()).hexdigest() for n in range(3)]

# A URLconf of its own for the last test: the images mounted elsewhere.
urlpatterns = [path("pictures/", include("impasto.imaging.urls"))]


@pytest.mark.parametrize("ext", sorted(set(EXTENSIONS.values())))
@pytest.mark.parametrize("sha256", SHAS)
def test_the_path_is_what_reverse_gives(sha256: str, ext: str) -> None:
    assert variant_path(sha256, ext) == reverse("imaging:variant", args=[sha256, ext])
    assert variant_path(sha256, ext).endswith(f"/v/{sha256}.{ext}")


def test_the_path_follows_the_script_prefix() -> None:
    sha256 = SHAS[0]
    set_script_prefix("/under/")
    try:
        assert variant_path(sha256, "avif") == reverse("imaging:variant", args=[sha256, "avif"])
        assert variant_path(sha256, "avif").startswith("/under/media/v/")
    finally:
        clear_script_prefix()
    assert variant_path(sha256, "avif").startswith("/media/v/")


def test_the_path_follows_the_urlconf() -> None:
    sha256 = SHAS[1]
    before = variant_path(sha256, "webp")
    with override_settings(ROOT_URLCONF=__name__):
        assert variant_path(sha256, "webp") == f"/pictures/v/{sha256}.webp"
        assert variant_path(sha256, "webp") == reverse("imaging:variant", args=[sha256, "webp"])
    assert variant_path(sha256, "webp") == before
