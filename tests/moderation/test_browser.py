"""The whole loop in a browser: a held upload, the artist asks for a review, a moderator
clears it, the work appears."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from impasto.imaging.models import MediaAsset
from impasto.moderation.models import Case
from tests.conftest import screenshot
from tests.factories import UserFactory, publish_artwork
from tests.protection.detection import builders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(context, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_held_upload_review_requested_cleared_then_shown(
    page, browser, live_server, flushable_audit_log, tmp_path: Path
):
    artist = UserFactory.create()
    moderator = UserFactory.create(is_staff=True)
    page.set_viewport_size({"width": 390, "height": 900})
    _log_in(page.context, live_server, artist)
    page.goto("/media/upload")
    work = tmp_path / "lighthouse.png"
    work.write_bytes(builders.a1111_png())
    page.set_input_files("input[name=file]", str(work))
    page.fill("textarea[name=alt_text]", "A lighthouse in a storm")
    page.check("input[name=human_made]")
    page.click("button:has-text('Upload')")
    expect(page.get_by_text("Held for review").first).to_be_visible(timeout=30_000)
    asset = MediaAsset.objects.get()
    assert asset.status == MediaAsset.Status.HELD

    page.goto("/media/upload")
    page.get_by_role("link", name="Why, and what you can do").click()
    expect(page.get_by_role("heading", name="Your work is held for review")).to_be_visible()
    expect(
        page.get_by_text("It carries the settings an AI image generator saves with its images.")
    ).to_be_visible()
    page.fill("textarea[name=note]", "Painted in Krita; the export script added the text.")
    page.get_by_role("button", name="Ask for a review").click()
    expect(page.get_by_text("Review requested")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "moderation-held-review-requested")

    desk = browser.new_context(base_url=live_server.url, service_workers="block")
    desk.set_default_timeout(10_000)
    _log_in(desk, live_server, moderator)
    staff = desk.new_page()
    staff.goto("/moderation/?queue=held")
    case = Case.objects.get()
    staff.locator(f"a[href='/moderation/cases/{case.pk}']").click()
    expect(
        staff.get_by_text("Painted in Krita; the export script added the text.", exact=True)
    ).to_be_visible()
    staff.get_by_label("Clear: it follows the rules").check()
    staff.fill("textarea[name=reason]", "The note and the file agree: a Krita painting.")
    staff.get_by_role("button", name="Apply the decision").click()
    expect(staff.get_by_role("heading", name="Decided")).to_be_visible()
    screenshot(staff, "moderation-desk-cleared")
    desk.close()

    page.goto("/media/upload")
    picture = page.locator(f"#asset-{asset.pk} picture img")
    expect(picture).to_be_visible()
    expect(picture).to_have_attribute("alt", "A lighthouse in a storm")
    # Ready again: once in a public project anyone can load it (before, in no project, only
    # its artist: docs/imaging.md).
    asset.refresh_from_db()
    assert asset.status == MediaAsset.Status.READY
    variant = asset.variants.filter(format="jpeg").first()
    assert variant is not None
    assert Client().get(f"/media/v/{variant.sha256}.jpg").status_code == 404
    publish_artwork(asset)
    assert Client().get(f"/media/v/{variant.sha256}.jpg").status_code == 200
    assert page.js_errors == []
