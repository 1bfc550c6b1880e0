"""The cloak panel in a real browser: read at phone and desktop widths, light and dark, and a
level chosen with the keyboard and saved through htmx (the task runs at once in tests)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from impasto.protection.cloaking.models import CloakJob
from tests.conftest import screenshot
from tests.factories import UserFactory
from tests.protection.cloaking import builders as b

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORK = 9_000_001


@pytest.fixture
def artist(encoder_file, folder_pipeline):
    with override_settings(CLOAKING=b.encoder_config(encoder_file)):
        artist = UserFactory.create()
        folder_pipeline.add(
            owner_id=artist.pk, work_id=WORK, asset_id=301, widths={64: b.painting(64, 40)}
        )
        folder_pipeline.add(
            owner_id=artist.pk, work_id=WORK, asset_id=302, widths={64: b.flat(64, 40)}
        )
        yield artist


def log_in(page, live_server, user) -> None:
    """A session for ``user`` in the browser (the log-in form is the accounts app's to test)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


@pytest.mark.parametrize(("name", "width", "height"), [("phone", 390, 844), ("desktop", 1280, 900)])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_panel_reads_well_and_a_level_is_saved_with_htmx(
    page, live_server, artist, name, width, height, scheme
) -> None:
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": width, "height": height})
    log_in(page, live_server, artist)
    page.goto(reverse("cloaking:work-panel", args=[WORK]))
    assert page.get_by_role("heading", name="Cloak against AI training").is_visible()
    assert "Your pictures are shown without a cloak." in page.locator(".cloak-status").inner_text()
    assert page.get_by_label("Off").is_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"cloak-panel-off-{name}-{scheme}")
    # Playwright's full-page screenshot leaves style="" on inputs, which htmx would then settle
    # into the swapped form against the CSP: start again from a fresh page.
    page.reload()

    # Keyboard: the radios are one group; arrow down from "Off" reaches "Low", then "Default".
    page.get_by_label("Off").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.get_by_label("Default").is_checked()
    page.get_by_role("button", name="Save cloak level").click()
    saved = page.locator(".cloak-panel__saved")
    saved.wait_for()
    assert "Saved." in saved.inner_text()
    status = page.locator(".cloak-status")
    assert "Your pictures are shown with a cloak at level “Default”." in status.inner_text()
    assert "SSIM" in status.inner_text()
    assert page.locator(".cloak-image").count() == 2
    assert page.get_by_label("Default").is_checked()
    assert page.url.endswith(reverse("cloaking:work-panel", args=[WORK]))  # no full reload
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"cloak-panel-done-{name}-{scheme}")
    assert set(CloakJob.objects.values_list("status", flat=True)) == {CloakJob.Status.DONE}
    assert page.js_errors == [], page.js_errors


def test_a_failed_image_shows_its_reason(page, live_server, artist) -> None:
    CloakJob.objects.create(
        owner=artist,
        work_id=WORK,
        asset_id=301,
        level="high",
        status=CloakJob.Status.DONE,
        ssim=0.84,
        psnr=31.2,
    )
    CloakJob.objects.create(
        owner=artist,
        work_id=WORK,
        asset_id=302,
        level="high",
        status=CloakJob.Status.FAILED,
        error="the cloaking service's answer is over the high budget (SSIM 0.612 < 0.80)",
    )
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, artist)
    page.goto(reverse("cloaking:work-panel", args=[WORK]))
    text = page.locator(".cloak-status").inner_text()
    assert "Some pictures could not be cloaked" in text
    assert "over the high budget (SSIM 0.612 < 0.80)" in text
    screenshot(page, "cloak-panel-failed-phone")
    assert page.js_errors == [], page.js_errors
