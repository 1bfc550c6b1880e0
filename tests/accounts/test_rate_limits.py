"""The throttles of SECURITY-NOTES.md 3.1 (Mastodon's numbers), on local memory and on Redis."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.accounts.conftest import log_in
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

THROTTLED = "Too many attempts"


def ip(n: int) -> dict[str, str]:
    return {"REMOTE_ADDR": f"198.51.100.{n}"}


def assert_throttled(response) -> None:
    assert response.status_code == 429
    assert THROTTLED in response.content.decode()


def test_login_is_limited_per_address(client, any_cache):
    # 25 log-ins per 5 minutes from one address, whatever the accounts tried.
    for n in range(25):
        assert log_in(client, f"someone{n}", "guess", **ip(1)).status_code == 200
    assert_throttled(log_in(client, "someone", "guess", **ip(1)))
    # Another address is not affected.
    assert log_in(client, "someone", "guess", **ip(2)).status_code == 200


def test_failed_logins_are_limited_per_account_across_addresses_and_names(client, any_cache):
    target = UserFactory.create()
    bystander = UserFactory.create()
    # 25 failures an hour per account, from many addresses, by handle and by email alike.
    for n in range(25):
        login = target.handle if n % 2 else target.email.upper()
        assert log_in(client, login, "wrong guess", **ip(n)).status_code == 200
    # Now even the right password is refused for a while, with a 429 a person can read...
    assert_throttled(log_in(client, f"@{target.handle}", PASSWORD, **ip(99)))
    assert "_auth_user_id" not in client.session
    # ...while other accounts log in as usual.
    assert log_in(client, bystander.handle, PASSWORD, **ip(99)).status_code == 302


def test_a_successful_login_does_not_reset_the_failure_count(client, any_cache):
    target = UserFactory.create()
    for n in range(24):
        log_in(client, target.handle, "wrong guess", **ip(n))
    assert log_in(client, target.handle, PASSWORD, **ip(50)).status_code == 302
    client.logout()
    log_in(client, target.handle, "wrong guess", **ip(51))
    assert_throttled(log_in(client, target.handle, "wrong guess", **ip(52)))


def test_password_reset_is_limited_per_address(client, any_cache, run_on_commit):
    url = reverse("account_reset_password")
    with run_on_commit():
        for n in range(25):
            response = client.post(url, {"email": f"person{n}@example.test"}, **ip(7))
            assert response.status_code == 302
    assert_throttled(client.post(url, {"email": "one-more@example.test"}, **ip(7)))


def test_password_reset_is_limited_per_address_asked_for(client, user, any_cache, run_on_commit):
    url = reverse("account_reset_password")
    with run_on_commit():
        for n in range(5):
            assert client.post(url, {"email": user.email}, **ip(n)).status_code == 302
    assert_throttled(client.post(url, {"email": user.email.upper()}, **ip(40)))
    # The limit is the same for an address nobody has: it tells nothing.
    with run_on_commit():
        for n in range(5):
            client.post(url, {"email": "ghost@example.test"}, **ip(n))
    assert_throttled(client.post(url, {"email": "ghost@example.test"}, **ip(41)))


def test_ipv6_addresses_share_a_limit_per_64_block(client, any_cache):
    for n in range(25):
        log_in(client, "someone", "guess", REMOTE_ADDR=f"2001:db8:1:2::{n + 1:x}")
    assert_throttled(log_in(client, "someone", "guess", REMOTE_ADDR="2001:db8:1:2:ffff::1"))


def test_a_password_reset_lifts_the_failed_login_limit(client, any_cache, run_on_commit):
    import re

    from django.core import mail

    target = UserFactory.create()
    for n in range(25):
        log_in(client, target.handle, "wrong guess", **ip(n))
    assert_throttled(log_in(client, target.handle, PASSWORD, **ip(60)))
    with run_on_commit():
        client.post(reverse("account_reset_password"), {"email": target.email}, **ip(61))
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", str(mail.outbox[-1].body))
    assert link
    form = client.get(link.group(0), follow=True, **ip(61))
    new = "a completely new passphrase"
    client.post(form.redirect_chain[-1][0], {"password1": new, "password2": new}, **ip(61))
    client.logout()
    assert log_in(client, target.handle, new, **ip(62)).status_code == 302


def test_the_admin_log_in_goes_through_the_same_door(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
