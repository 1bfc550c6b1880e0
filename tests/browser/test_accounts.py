"""A newcomer's first visit, in chromium: sign up, verify, set up a profile, log out, log in."""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail
from playwright.sync_api import expect

from impasto.accounts.models import Profile, User
from tests.accounts.conftest import picture
from tests.accounts.test_security import totp_now
from tests.conftest import screenshot
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
NEW_PASSWORD = "watercolour and ink at dawn"


def fits(page, width: int) -> None:
    """Nothing wider than the screen: no sideways scrolling on a phone."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def shoot_both(page, name: str) -> None:
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        fits(page, size["width"])
        screenshot(page, f"{name}-{label}")
    page.set_viewport_size(DESKTOP)


def test_newcomer_signs_up_verifies_sets_up_a_profile_and_logs_in_again(page):
    page.goto("/")
    page.get_by_role("link", name="Join").first.click()
    page.wait_for_url("**/accounts/signup/")
    shoot_both(page, "signup")

    page.get_by_label("Email").fill("noor@example.test")
    page.get_by_label("Handle").fill("@Noor_Draws")
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Password (again)").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url("**/accounts/confirm-email/")
    assert page.get_by_role("heading", name="Verify Your Email Address").is_visible()
    assert User.objects.get(handle="noor_draws").email == "noor@example.test"

    # The verification link from the email.
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", str(mail.outbox[0].body))
    assert link
    page.goto(link.group(0))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/settings/profile")
    # Signed in: the account menu names the newcomer.
    page.get_by_role("button", name="Account menu").click()
    assert page.get_by_text("@noor_draws").is_visible()
    page.keyboard.press("Escape")

    # Profile: an avatar made by the test, then the text.
    page.get_by_label("New avatar").set_input_files(
        {"name": "me.png", "mimeType": "image/png", "buffer": picture("png", 800, 800)}
    )
    page.get_by_role("button", name="Upload avatar").click()
    page.wait_for_url("**/settings/profile")
    expect(page.get_by_text("Your new avatar is being prepared")).to_be_visible()
    page.get_by_label("Display name").fill("Noor Haddad")
    page.get_by_label("Bio").fill(
        "Ink drawings of **markets** and the people in them.\n\nCommissions open from May."
    )
    page.get_by_label("Location").fill("Marseille")
    page.get_by_label("Links").fill("noor.example/drawings\nhttps://shop.noor.example")
    page.get_by_label("Illustration").check()
    page.get_by_label("Comics").check()
    page.get_by_label("Open for commissions").check()
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_url("**/settings/profile")
    assert page.get_by_text("Your profile is saved.").is_visible()
    shoot_both(page, "profile-edit")

    page.get_by_role("link", name="View your profile").click()
    page.wait_for_url("**/@noor_draws")
    assert page.get_by_role("heading", name="Noor Haddad").is_visible()
    assert page.get_by_role("link", name="https://noor.example/drawings").is_visible()
    avatar = page.locator(".profile__avatar img")
    # Made by the imaging pipeline (the test's task backend runs it at once): 512 px WebP.
    assert avatar.evaluate("img => img.complete && img.naturalWidth") == 512
    shoot_both(page, "profile-page")
    profile = Profile.objects.get(user__handle="noor_draws")
    assert profile.avatar.name.startswith("v/")

    page.get_by_role("button", name="Account menu").click()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in").first).to_be_visible()
    page.get_by_role("link", name="Log in").first.click()
    page.get_by_label("Handle or email").fill("Noor_Draws")
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="Account menu").click()
    expect(page.get_by_text("@noor_draws")).to_be_visible()
    assert page.js_errors == []


def test_settings_pages_fit_phones_and_desktops(page):
    user = UserFactory.create(handle="sana", display_name="Sana Idris")
    page.goto("/accounts/login/")
    page.get_by_label("Handle or email").fill(user.handle)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")
    for path, name in [
        ("/accounts/email/", "settings-email"),
        ("/accounts/password/change/", "settings-password"),
        ("/accounts/2fa/", "settings-2fa"),
        ("/accounts/sessions/", "settings-sessions"),
        ("/settings/export", "settings-export"),
        ("/settings/delete", "settings-delete"),
    ]:
        page.goto(path)
        assert page.get_by_role("navigation", name="Settings").is_visible()
        shoot_both(page, name)

    # Two-factor set-up: the password again, then the QR code.
    page.goto("/accounts/2fa/totp/activate/")
    page.wait_for_url("**/accounts/reauthenticate/**")
    shoot_both(page, "reauthenticate")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    qr = page.locator(".qr img")
    assert qr.evaluate("img => img.complete && img.naturalWidth") > 0
    shoot_both(page, "settings-2fa-setup")
    secret = page.locator("#authenticator_secret").input_value()
    if time.time() % 30 > 26:  # a code about to expire may be checked in the next window
        time.sleep(30 - time.time() % 30 + 0.1)
    page.get_by_label("Authenticator code").fill(totp_now(secret))
    page.get_by_role("button", name="Activate").click()
    # The activation answers with a redirect: wait for it, or the next goto cancels the POST.
    expect(page).not_to_have_url(re.compile(r"/totp/activate/"))
    page.goto("/accounts/2fa/recovery-codes/")
    assert page.get_by_label("Unused codes").is_visible()
    shoot_both(page, "settings-recovery-codes")
    page.goto("/accounts/logout/")
    shoot_both(page, "logout")
    assert page.js_errors == []


def test_entrance_pages_in_light_and_dark(page):
    UserFactory.create(handle="ines", display_name="Inès Barros")
    pages = [
        ("/accounts/login/", "login"),
        ("/accounts/password/reset/", "password-reset"),
        ("/accounts/password/reset/done/", "password-reset-done"),
        ("/accounts/confirm-email/", "verify-sent"),
        ("/@ines", "profile-initials"),
    ]
    for path, name in pages:
        page.goto(path)
        shoot_both(page, name)
    page.emulate_media(color_scheme="dark")
    for path, name in [("/accounts/signup/", "signup"), ("/@ines", "profile-initials")]:
        page.goto(path)
        shoot_both(page, f"{name}-dark")
    assert page.js_errors == []
