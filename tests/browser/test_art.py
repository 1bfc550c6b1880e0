"""The portfolio in chromium: an artist creates a project with three images, reorders them
(the Move buttons and drag and drop), makes an album, publishes and shares it as a post.
Screenshots at phone and desktop widths, light and dark, land in test-artifacts/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from impasto.art.models import Album, Project
from impasto.social.models import Post
from tests.browser.test_social import shoot, sign_in
from tests.factories import UserFactory
from tests.imaging import images

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _order(project: Project) -> list[int]:
    return list(project.images.order_by("position", "id").values_list("pk", flat=True))


def test_an_artist_builds_publishes_and_shares_a_project(
    page: Any, live_server: Any, tmp_path: Path
) -> None:
    mira = UserFactory.create(handle="mira", display_name="Mira Okafor")
    sign_in(page, live_server, mira)
    page.goto("/projects/new")
    page.get_by_label("Title").fill("Herons at dawn")
    page.get_by_label("Description").fill("Ink and *watercolour*.")
    page.get_by_label("Ink", exact=True).check()
    page.get_by_label("I made this work myself; no generative AI was used.").check()
    page.get_by_role("button", name="Create project").click()
    page.wait_for_url("**/projects/*/edit#images")
    project = Project.objects.get(owner=mira)

    upload = page.locator("form[data-reset-on-success]")
    for n in range(3):
        path = tmp_path / f"heron-{n}.jpg"
        path.write_bytes(images.jpeg(640, 480, seed=n + 1))
        upload.get_by_label("Image", exact=True).set_input_files(str(path))
        upload.get_by_label("Alt text").fill(f"Heron number {n + 1} in the reeds")
        upload.get_by_role("button", name="Upload image").click()
        expect(page.locator(".art-image")).to_have_count(n + 1, timeout=60_000)
    expect(page.locator("#project-images")).not_to_contain_text("Being prepared", timeout=60_000)
    first, second, third = _order(project)

    # A refused file: the artist reads why in the list (htmx swaps the 4xx answer in), and the
    # form keeps what they typed.
    fake = tmp_path / "heron.jpg"
    fake.write_bytes(b"%PDF-1.4 a drawing, supposedly")
    upload.get_by_label("Image", exact=True).set_input_files(str(fake))
    upload.get_by_label("Alt text").fill("Not a heron")
    upload.get_by_role("button", name="Upload image").click()
    expect(page.get_by_role("alert")).to_contain_text("This file is a PDF")
    expect(page.locator(".art-image")).to_have_count(3)
    expect(upload.get_by_label("Alt text")).to_have_value("Not a heron")
    assert [e for e in page.js_errors if "status of 415" not in e] == []  # chromium logs any 4xx
    page.js_errors.clear()

    # Keyboard-friendly: Move down on the first image.
    page.get_by_role("button", name="Move down (image 1)").click()
    expect(page.locator(".art-image").first).to_have_attribute("data-image-id", str(second))
    assert _order(project) == [second, first, third]
    # Drag and drop: the third image to the top.
    # (The HTML5 drag events, dispatched as the browser does: Playwright's mouse drag does not
    # start a native drag from a list item holding text fields.)
    source = page.locator(f'[data-image-id="{third}"]')
    target = page.locator(f'[data-image-id="{second}"]')
    box = target.bounding_box()
    assert box is not None
    transfer = page.evaluate_handle("new DataTransfer()")
    source.dispatch_event("dragstart", {"dataTransfer": transfer})
    target.dispatch_event(
        "dragover", {"dataTransfer": transfer, "clientY": box["y"] + 5, "bubbles": True}
    )
    with page.expect_response(lambda response: "/images/order" in response.url) as saved:
        source.dispatch_event("dragend", {"dataTransfer": transfer})
    assert saved.value.status == 200
    expect(page.locator(".art-image").first).to_have_attribute("data-image-id", str(third))
    assert _order(project) == [third, second, first]

    # An album with the project in it.
    page.goto("/albums/new")
    page.get_by_label("Title").fill("Birds")
    page.get_by_role("button", name="Create album").click()
    page.wait_for_url("**/albums/*/edit")
    page.get_by_label("Add a project").select_option(label="Herons at dawn")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator(".art-album-entry")).to_contain_text("Herons at dawn")
    assert Album.objects.get(owner=mira).entries.count() == 1

    # Publish, then share as a post.
    page.goto(f"/projects/{project.pk}/edit")
    page.get_by_label("Who can see it").select_option("public")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(f"**/@mira/projects/{project.pk}")
    expect(page.locator(".project__image picture")).to_have_count(3)
    shoot(page, "art-project")
    page.get_by_role("button", name="Share as a post").click()
    page.wait_for_url("**/@mira/posts/*")
    expect(page.locator(".link-preview")).to_contain_text("Herons at dawn")
    assert Post.objects.filter(author=mira).count() == 1

    page.goto("/@mira")
    expect(page.locator("[data-portfolio] .media-card")).to_have_count(1)
    shoot(page, "art-portfolio")
    page.goto("/@mira/albums")
    expect(page.locator("[data-albums]")).to_contain_text("Birds")
    assert page.js_errors == []
