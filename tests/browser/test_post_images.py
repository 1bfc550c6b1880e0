"""Posting images as a person does it on a phone: choose files, describe them, publish; the
gallery then shows them with their placeholders while they load."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from impasto.imaging import services
from impasto.social.models import Post
from tests.browser.test_accessibility import check
from tests.conftest import screenshot
from tests.imaging import images
from tests.imaging.conftest import _isolated_storage  # noqa: F401 - autouse: own media folders
from tests.imaging.test_browser import _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_compose_two_described_images_at_phone_width(
    page, live_server, user, settings, tmp_path: Path
):
    # Tasks wait in a queue drained by hand: the post is seen while its images process.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend",
                                  "QUEUES": ["default", "media"]}}  # fmt: skip
    page.set_viewport_size({"width": 390, "height": 860})
    _log_in(page, live_server, user)
    page.goto("/posts/new")
    first, second = tmp_path / "heron.jpg", tmp_path / "study.png"
    first.write_bytes(images.jpeg(1200, 900, seed=7))
    second.write_bytes(images.png(800, 800, seed=8))
    page.fill("textarea[name=body]", "Two studies from the marsh")
    page.set_input_files("input[name=image_0]", str(first))
    expect(page.locator(".compose-image__preview").first).to_be_visible()
    page.get_by_label("Description (alt text)").first.fill("A grey heron standing in reeds")
    page.get_by_text("Add more images").click()
    page.set_input_files("input[name=image_1]", str(second))
    page.locator("input[name=decorative_1]").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "post-images-compose-phone")
    check(page)  # axe: WCAG 2.2 AA and best practices
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".post-gallery__pending")).to_have_count(2)  # the author sees them
    post = Post.objects.get()
    for attachment in post.attachments.all():
        services.asset_process(asset_id=attachment.asset_id)
    page.reload()
    gallery = page.locator(".post-gallery--2")
    expect(gallery).to_be_visible()
    expect(gallery.locator("img").first).to_have_attribute("alt", "A grey heron standing in reeds")
    expect(gallery.locator("img").nth(1)).to_have_attribute("alt", "")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.post-gallery img')]"
        ".every(img => img.complete && img.naturalWidth > 0)"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "post-images-gallery-phone")
    check(page)
    page.emulate_media(color_scheme="dark")
    screenshot(page, "post-images-gallery-phone-dark")
    check(page)
    assert page.js_errors == []


def test_blurhash_placeholder_is_decoded_in_the_page(page, live_server):
    page.goto("/")
    # The example hash of the BlurHash documentation: a 4x3 grid of components.
    url = page.evaluate("() => window.Impasto.blurhashDataURL('LEHV6nWB2yk8pyo0adR*.7kCMdnj')")
    assert url.startswith("data:image/png;base64,")
    centre = page.evaluate(
        """async (url) => {
            const img = new Image(); img.src = url; await img.decode();
            const canvas = document.createElement('canvas'); canvas.width = canvas.height = 32;
            const context = canvas.getContext('2d'); context.drawImage(img, 0, 0);
            return Array.from(context.getImageData(16, 16, 1, 1).data);
        }""",
        url,
    )
    assert centre[3] == 255
    assert len(set(centre[:3])) > 1  # a colour, not a grey or an empty canvas
    assert page.js_errors == []
