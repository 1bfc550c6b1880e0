"""The web shell in a real browser: layout at phone and desktop widths, both themes, keyboard,
language switch, htmx under the CSP, and the service worker's offline page.

Every test fails on any console error (the ``page`` fixture collects them), and Chromium
reports each Content-Security-Policy violation as a console error: so these pages run with
no inline script or style and no blocked request.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from tests.conftest import ARTIFACTS, screenshot
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SIZES = [pytest.param(PHONE, id="phone"), pytest.param(DESKTOP, id="desktop")]
SCHEMES = ["light", "dark"]


def log_in(page: Any, live_server: Any, **user_fields: Any) -> Any:
    """Sign a new person in by giving the browser a real session cookie."""
    user = UserFactory.create(**user_fields)
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )
    return user


def assert_fits(page: Any, width: int) -> None:
    # Nothing wider than the viewport: no sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def screenshot_path(name: str) -> Any:
    """A viewport-only screenshot (for overlays such as dialogs)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / f"{name}.png"


def name_of(size: dict[str, int]) -> str:
    return "phone" if size is PHONE else "desktop"


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("size", SIZES)
def test_home_page_for_visitors_fits_in_both_themes(page, size, scheme) -> None:
    page.set_viewport_size(size)
    page.emulate_media(color_scheme=scheme)
    page.goto("/")
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.get_by_role("link", name="Create your portfolio").is_visible()
    artwork = page.locator(".artwork-frame img")
    artwork.scroll_into_view_if_needed()
    # (evaluate, not wait_for_function: Playwright polls string predicates with eval, which
    # this site's CSP refuses.)
    assert artwork.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == ("rgb(246, 243, 238)" if scheme == "light" else "rgb(22, 21, 26)")
    assert_fits(page, size["width"])
    screenshot(page, f"shell-home-{name_of(size)}-{scheme}")
    assert page.js_errors == []


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("size", SIZES)
def test_home_page_for_members_shows_next_steps(page, live_server, size, scheme) -> None:
    log_in(page, live_server, display_name="Mira Okafor")
    page.set_viewport_size(size)
    page.emulate_media(color_scheme=scheme)
    page.goto("/")
    assert page.get_by_role("heading", name="Welcome, Mira Okafor").is_visible()
    steps = page.get_by_role("list", name="Next steps").get_by_role("link")
    assert steps.count() >= 2
    assert_fits(page, size["width"])
    screenshot(page, f"shell-home-member-{name_of(size)}-{scheme}")
    assert page.js_errors == []


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("size", SIZES)
def test_error_page_fits_in_both_themes(page, size, scheme) -> None:
    page.set_viewport_size(size)
    page.emulate_media(color_scheme=scheme)
    response = page.goto("/no-such-page")
    assert response.status == 404
    assert page.get_by_role("heading", name="We could not find that page").is_visible()
    assert_fits(page, size["width"])
    screenshot(page, f"shell-404-{name_of(size)}-{scheme}")
    # The 404 response itself is logged by Chromium as a failed resource; nothing else.
    assert [error for error in page.js_errors if "404" not in error] == []


@pytest.fixture
def pwa_page(browser, live_server) -> Iterator[Any]:
    """Like the ``page`` fixture, but service workers are allowed (they are blocked there)."""
    context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, service_workers="allow"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.js_errors = errors
    yield page
    context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("size", SIZES)
def test_offline_page_comes_from_the_service_worker(pwa_page, size, scheme) -> None:
    page = pwa_page
    page.set_viewport_size(size)
    page.emulate_media(color_scheme=scheme)
    page.goto("/")
    # impasto.js registers the worker; wait until it is active and controls this page.
    script_url = page.evaluate(
        """async () => {
            await navigator.serviceWorker.ready;
            if (!navigator.serviceWorker.controller) {
                await new Promise((done) => navigator.serviceWorker.addEventListener(
                    "controllerchange", done, {once: true}));
            }
            return navigator.serviceWorker.controller.scriptURL;
        }"""
    )
    assert script_url.endswith("/sw.js")
    page.context.set_offline(True)
    try:
        # The page just seen: the worker keeps no copy of pages, so it is the offline page.
        page.goto("/")
        heading = page.get_by_role("heading", level=1)
        assert heading.inner_text() == "You are offline"
        # The stylesheet came from the worker's cache too: the page has its look offline.
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == ("rgb(246, 243, 238)" if scheme == "light" else "rgb(22, 21, 26)")
        assert_fits(page, size["width"])
        screenshot(page, f"shell-offline-{name_of(size)}-{scheme}")
    finally:
        page.context.set_offline(False)
    # Back online, pages come from the network again (nothing was cached in between).
    page.goto("/settings/appearance")
    assert page.get_by_role("heading", level=1).inner_text() == "Appearance and language"
    errors = [error for error in page.js_errors if "ERR_INTERNET_DISCONNECTED" not in error]
    assert errors == []


def test_a_csp_violation_would_fail_these_tests(page) -> None:
    # The check itself: an inline handler (which the CSP forbids) shows up in js_errors.
    page.goto("/")
    page.evaluate(
        """() => new Promise((done) => {
            const html = "<img src=/static/img/icon.svg onload=x>";
            document.body.insertAdjacentHTML("beforeend", html);
            const image = document.querySelector("img[onload]");
            image.addEventListener("load", () => setTimeout(done, 50));
        })"""
    )
    assert any("Content Security Policy" in error for error in page.js_errors)


def test_tab_reaches_the_skip_link_first_and_it_jumps_to_the_content(page) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to content"
    assert page.locator(".skip-link").is_visible()
    screenshot(page, "shell-skip-link")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.js_errors == []


def test_account_menu_opens_with_enter_and_closes_with_escape(page, live_server) -> None:
    log_in(page, live_server, display_name="Mira Okafor")
    page.goto("/")
    button = page.get_by_role("button", name="Account menu")
    assert button.get_attribute("aria-expanded") == "false"
    menu = page.locator("#account-menu")
    assert not menu.is_visible()
    # Keyboard only: Tab until the account button has focus.
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('menu__button')"):
            break
    else:
        pytest.fail("Tab never reached the account menu button")
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    assert menu.is_visible()
    assert menu.get_by_role("button", name="Log out").is_visible()
    screenshot(page, "shell-account-menu-open")
    # Focus moved into the menu; Escape closes it and gives focus back to the button.
    assert page.evaluate("document.getElementById('account-menu').contains(document.activeElement)")
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('menu__button')")
    assert page.js_errors == []


def test_account_menu_links_are_reachable_without_javascript(browser, live_server) -> None:
    context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, java_script_enabled=False
    )
    try:
        page = context.new_page()
        log_in(page, live_server)
        page.goto("/")
        for _ in range(10):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.classList.contains('menu__button')"):
                break
        page.keyboard.press("Tab")
        # Focus went into the panel, which :focus-within shows: its links are reachable.
        assert page.evaluate(
            "document.getElementById('account-menu').contains(document.activeElement)"
        )
        assert page.evaluate("document.activeElement.tagName") == "A"
        assert page.locator("#account-menu").is_visible()
    finally:
        context.close()


def test_language_switch_turns_the_page_french(page) -> None:
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("button", name="Français").click()
    page.wait_for_selector("html[lang=fr]")
    assert page.get_by_role("link", name="Créer votre portfolio").is_visible()
    assert page.get_by_role("button", name="Français").get_attribute("aria-pressed") == "true"
    screenshot(page, "shell-home-french")
    # The choice sticks for the next page.
    page.goto("/no-such-page")
    assert page.get_by_role("heading", level=1).inner_text() == "Cette page est introuvable"
    assert [error for error in page.js_errors if "404" not in error] == []


def test_theme_switch_applies_at_once_and_is_remembered(page) -> None:
    page.emulate_media(color_scheme="light")
    page.goto("/")
    footer = page.locator("footer")
    with page.expect_response("**/theme") as answer:
        footer.get_by_role("button", name="Dark").click()
    assert answer.value.status == 204  # htmx posted it, with the CSRF token
    assert page.locator("html").get_attribute("data-theme") == "dark"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(22, 21, 26)"
    assert footer.get_by_role("button", name="Dark").get_attribute("aria-pressed") == "true"
    # The server reads the cookie: the next page is dark from the first paint.
    page.goto("/offline")  # a page without the script: only the server can have set it
    page.goto("/")
    assert page.locator("html").get_attribute("data-theme") == "dark"
    with page.expect_response("**/theme") as answer:
        footer.get_by_role("button", name="System").click()
    assert answer.value.status == 204
    assert page.locator("html").get_attribute("data-theme") is None
    page.reload()
    assert page.locator("html").get_attribute("data-theme") is None
    assert page.js_errors == []


def test_htmx_requests_carry_the_csrf_token(page) -> None:
    page.goto("/")
    # A bare htmx request from the page body: no form, so no csrfmiddlewaretoken field; only
    # the X-CSRFToken header that base.html's hx-headers adds can make Django accept it.
    with page.expect_response("**/theme") as answer:
        page.evaluate(
            "htmx.ajax('POST', '/theme', {source: document.body, values: {theme: 'dark'},"
            " swap: 'none'})"
        )
    assert answer.value.status == 204
    assert answer.value.request.headers["x-csrftoken"]
    assert page.js_errors == []


def test_htmx_toasts_show_server_messages(page) -> None:
    page.goto("/")
    with page.expect_response("**/theme"):
        page.evaluate(
            "htmx.ajax('POST', '/theme', {source: document.body, values: {theme: 'purple'},"
            " swap: 'none'})"
        )
    toast = page.locator("#toasts .toast")
    toast.wait_for()
    assert "Choose one of" in toast.inner_text()
    screenshot(page, "shell-toast")
    toast.get_by_role("button", name="Dismiss").click()
    toast.wait_for(state="detached")
    # htmx logs the 400 response to the console; nothing else may appear.
    assert [e for e in page.js_errors if "400" not in e and "responseError" not in e] == []


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("size", SIZES)
def test_design_system_page_for_staff(page, live_server, size, scheme) -> None:
    log_in(page, live_server, is_staff=True, display_name="Ada Staff")
    page.set_viewport_size(size)
    page.emulate_media(color_scheme=scheme)
    page.goto("/design")
    assert page.get_by_role("heading", name="Design system").is_visible()
    assert_fits(page, size["width"])
    screenshot(page, f"shell-design-{name_of(size)}-{scheme}")
    page.get_by_role("link", name="Open a dialog").click()
    dialog = page.get_by_role("dialog", name="Delete this work?")
    assert dialog.is_visible()
    page.screenshot(path=str(screenshot_path(f"shell-dialog-{name_of(size)}-{scheme}")))
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert page.js_errors == []


@pytest.mark.parametrize("size", SIZES)
def test_settings_layout(page, live_server, size) -> None:
    log_in(page, live_server)
    page.set_viewport_size(size)
    page.goto("/settings/appearance")
    nav = page.get_by_role("navigation", name="Settings")
    assert (
        nav.get_by_role("link", name="Appearance and language").get_attribute("aria-current")
        == "page"
    )
    assert_fits(page, size["width"])
    screenshot(page, f"shell-settings-{name_of(size)}")
    assert page.js_errors == []


@pytest.mark.urls("tests.core.urls_later_apps")
@pytest.mark.parametrize("scheme", SCHEMES)
def test_phone_gets_a_bottom_bar_once_there_are_sections(page, live_server, scheme) -> None:
    log_in(page, live_server, display_name="Mira Okafor")
    page.set_viewport_size(PHONE)
    page.emulate_media(color_scheme=scheme)
    page.goto("/")
    bar = page.locator("nav.tab-bar")
    assert bar.is_visible()
    assert bar.get_by_role("link", name="Home").get_attribute("aria-current") == "page"
    assert bar.get_by_role("link", name="Discover").is_visible()
    assert not page.locator("header .site-nav").is_visible()  # one main navigation at a time
    # The bar never covers the end of the page.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    footer_bottom = page.evaluate(
        "document.querySelector('.site-footer p').getBoundingClientRect().bottom"
    )
    assert footer_bottom <= page.evaluate(
        "document.querySelector('nav.tab-bar').getBoundingClientRect().top"
    )
    assert_fits(page, PHONE["width"])
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(screenshot_path(f"shell-tab-bar-phone-{scheme}")))
    # On a desktop the same links are in the header, and the bar is gone.
    page.set_viewport_size(DESKTOP)
    assert not bar.is_visible()
    assert page.locator("header .site-nav").get_by_role("link", name="Jobs").is_visible()
    page.screenshot(path=str(screenshot_path(f"shell-nav-desktop-{scheme}")))
    assert page.js_errors == []
