"""The pages a person opens: the interactive API docs and the tokens settings page."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, user) -> None:
    """A session for ``user`` in the browser (the log-in form is the accounts app's to test)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def test_api_docs_list_the_operations_under_the_strict_csp(page, other_user) -> None:
    artist = other_user
    csp_violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            csp_violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    response = page.goto("/api/v1/docs")
    assert response.status == 200
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response.headers["content-security-policy"].split(";")
    )
    # The site-wide script policy, untouched: own files only, no inline code, no eval, no CDN.
    assert policy["script-src"].split() == ["'self'"]
    assert policy["default-src"] == "'self'"
    assert policy["connect-src"] == "'self'"
    # exact: the social operations under /profiles/{handle}/... contain this path too.
    profile_get = page.get_by_text("/api/v1/profiles/{handle}", exact=True)
    profile_get.wait_for(timeout=30_000)  # Swagger UI renders the whole schema first
    for path in ("/api/v1/me", "/api/v1/me/profile", "/api/v1/me/tokens"):
        assert page.get_by_text(path, exact=True).first.is_visible()

    # "Try it out" runs a real request from the page (fetch to our own origin).
    profile_get.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_placeholder("handle").fill(artist.handle)
    page.get_by_role("button", name="Execute").click()
    status = page.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip() == "200"
    assert f'"handle": "{artist.handle}"' in page.locator(".live-responses-table").inner_text()
    screenshot(page, "api-docs")
    assert csp_violations == []
    assert page.js_errors == []


@pytest.mark.parametrize(
    ("name", "width", "scheme"), [("phone", 390, "dark"), ("desktop", 1280, "light")]
)
def test_tokens_page_creates_shows_once_and_revokes(
    page, live_server, user, name: str, width: int, scheme: str
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(color_scheme=scheme)
    log_in(page, live_server, user)

    page.goto("/settings/tokens")
    assert page.get_by_text("You have no tokens yet.").is_visible()
    page.get_by_label("Name").fill("Sketchbook app")
    page.get_by_label("Read and write").check()
    page.get_by_role("button", name="Create token").click()

    secret_field = page.get_by_label("Token", exact=True)
    secret_field.wait_for()
    secret = secret_field.input_value()
    assert secret.startswith("imp_")
    # htmx swapped the section in place and focused the secret for copying.
    expect(page.locator("#token-secret")).to_be_focused()
    # Shown by tokens.js once htmx has settled the swap: wait for it, do not sample it.
    expect(page.get_by_role("button", name="Copy")).to_be_visible()
    assert page.get_by_role("heading", name="Sketchbook app", exact=True).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, f"tokens-created-{name}-{scheme}")

    # An app can now use it.
    response = page.request.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.status == 200

    page.reload()
    assert secret not in page.content()

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Revoke “Sketchbook app”").click()
    page.get_by_text("You have no tokens yet.").wait_for()
    # Focus moves after htmx settles; expect() waits for it instead of racing it.
    expect(page.locator("#token-list-title")).to_be_focused()
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, f"tokens-revoked-{name}-{scheme}")
    response = page.request.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.status == 401
    assert page.js_errors == []
