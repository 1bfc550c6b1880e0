"""The upload page as a person uses it: upload, see "processing", then the picture appear."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from impasto.imaging import services
from impasto.imaging.models import MediaAsset
from tests.conftest import screenshot
from tests.imaging import images
from tests.imaging.test_hostile import pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


@pytest.mark.parametrize(("name", "width"), [("phone", 390), ("desktop", 1280)])
def test_upload_shows_processing_then_the_picture(
    page, live_server, user, settings, tmp_path: Path, name, width
):
    # Tasks wait in a queue we drain by hand, so the page is seen while processing.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend",
                                  "QUEUES": ["default", "media"]}}  # fmt: skip
    page.set_viewport_size({"width": width, "height": 900})
    _log_in(page, live_server, user)
    page.goto("/media/upload")
    artwork = tmp_path / "harbour.jpg"
    artwork.write_bytes(images.jpeg(1600, 1000))
    page.set_input_files("input[name=file]", str(artwork))
    page.fill("textarea[name=alt_text]", "A harbour at night, boats in orange light")
    page.check("input[name=human_made]")
    page.click("button:has-text('Upload')")
    page.wait_for_selector(".asset-card__placeholder")
    asset = MediaAsset.objects.get()
    assert asset.status == MediaAsset.Status.PROCESSING
    screenshot(page, f"imaging-upload-processing-{name}")

    services.asset_process(asset_id=asset.pk)
    picture = page.wait_for_selector(f"#asset-{asset.pk} picture img", timeout=15_000)
    assert picture.get_attribute("alt") == "A harbour at night, boats in orange light"
    assert picture.get_attribute("width")
    assert picture.get_attribute("loading") == "lazy"
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=picture, timeout=15_000
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"imaging-upload-ready-{name}")
    assert page.js_errors == []


def test_refused_upload_shows_the_reason_in_the_form(page, live_server, user, tmp_path: Path):
    _log_in(page, live_server, user)
    page.goto("/media/upload")
    fake = tmp_path / "drawing.png"
    fake.write_bytes(pdf())
    page.set_input_files("input[name=file]", str(fake))
    page.check("input[name=human_made]")
    page.click("button:has-text('Upload')")
    alert = page.wait_for_selector("#upload-form .errorlist")
    assert "This file is a PDF" in alert.inner_text()
    screenshot(page, "imaging-upload-refused")
    assert MediaAsset.objects.count() == 0
    assert [e for e in page.js_errors if "415" not in e] == []
