"""axe-core (the engine behind most accessibility checkers) on the shell's pages, in both
themes: WCAG 2.1 A and AA rules, colour contrast included, and axe's best practices."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.test_shell import PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RULES = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


def check(page) -> None:
    results = Axe().run(page, options=RULES)
    assert results.violations_count == 0, results.generate_report()


PAGES = [
    pytest.param("/", None, id="home"),
    pytest.param("/", "member", id="home-member"),
    pytest.param("/no-such-page", None, id="404"),
    pytest.param("/offline", None, id="offline"),
    pytest.param("/settings/appearance", "member", id="settings"),
    pytest.param("/design", "staff", id="design"),
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("url", "who"), PAGES)
def test_pages_pass_axe(page, live_server, url: str, who: str | None, scheme: str) -> None:
    if who:
        log_in(page, live_server, is_staff=(who == "staff"), display_name="Mira Okafor")
    page.emulate_media(color_scheme=scheme)
    page.goto(url)
    check(page)


def test_phone_layout_with_the_account_menu_open_passes_axe(page, live_server) -> None:
    log_in(page, live_server, display_name="Mira Okafor")
    page.set_viewport_size(PHONE)
    page.goto("/")
    page.get_by_role("button", name="Account menu").click()
    check(page)


@pytest.mark.urls("tests.core.urls_later_apps")
@pytest.mark.parametrize("width", [390, 1280])
def test_navigation_with_every_section_passes_axe(page, live_server, width: int) -> None:
    # Header navigation on a desktop, bottom tab bar on a phone: one "Main" landmark at a time.
    log_in(page, live_server)
    page.set_viewport_size({"width": width, "height": 844})
    page.goto("/")
    check(page)
