"""Sessions, two-factor authentication and re-authentication, through allauth's real views."""

from __future__ import annotations

import base64
import re
import time
from urllib.parse import unquote

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.usersessions.models import UserSession
from django.test import Client
from django.urls import reverse

from tests.accounts.conftest import log_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def totp_now(secret: str, offset: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


def reauthenticate(client: Client, next_url: str):
    return client.post(
        f"{reverse('account_reauthenticate')}?next={next_url}",
        {"password": PASSWORD, "next": next_url},
    )


def is_logged_in(client: Client) -> bool:
    response = client.get(reverse("accounts:settings-profile"))
    return response.status_code == 200


def test_session_list_shows_each_login_and_logs_out_the_others(user):
    laptop, phone = Client(HTTP_USER_AGENT="Laptop browser"), Client(HTTP_USER_AGENT="Phone")
    log_in(laptop, user.handle, PASSWORD, REMOTE_ADDR="192.0.2.10")
    log_in(phone, user.handle, PASSWORD, REMOTE_ADDR="192.0.2.20")
    page = laptop.get(reverse("usersessions_list")).content.decode()
    assert "192.0.2.10" in page
    assert "192.0.2.20" in page
    assert "This device" in page
    assert "Log out other sessions" in page

    response = laptop.post(reverse("usersessions_list"))
    assert response.status_code == 302
    assert is_logged_in(laptop)
    assert not is_logged_in(phone)
    assert UserSession.objects.filter(user=user).count() == 1


def activate_totp(client: Client) -> str:
    """Set up the authenticator app as a person does; returns the secret."""
    url = reverse("mfa_activate_totp")
    first = client.get(url)
    assert first.status_code == 302
    assert first["Location"].startswith(reverse("account_reauthenticate"))
    assert reauthenticate(client, url).status_code == 302
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    # The QR code is an inline SVG image (allowed by our CSP's img-src data:).
    qr = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert qr, html
    assert b"<svg" in base64.b64decode(unquote(qr.group(1)))
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', html)
    assert secret, html
    response = client.post(url, {"code": totp_now(secret.group(1))})
    assert response.status_code == 302
    return secret.group(1)


def test_two_factor_set_up_then_required_at_login(client, user, settings):
    # A used code cannot be used again; one step of clock tolerance gives the test a second
    # valid code without waiting 30 seconds.
    settings.MFA_TOTP_TOLERANCE = 1
    log_in(client, user.handle, PASSWORD)
    secret = activate_totp(client)
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    # Recovery codes come with it.
    codes_page = client.get(reverse("mfa_view_recovery_codes"))
    codes = re.findall(r"\b[0-9a-f]{8}\b", codes_page.content.decode())
    assert len(codes) >= 10

    client.post(reverse("account_logout"))
    response = log_in(client, user.handle, PASSWORD)
    assert response["Location"] == reverse("mfa_authenticate")
    assert not is_logged_in(client)
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert not is_logged_in(client)
    right = client.post(reverse("mfa_authenticate"), {"code": totp_now(secret, offset=1)})
    assert right.status_code == 302
    assert is_logged_in(client)

    # A recovery code works once.
    client.post(reverse("account_logout"))
    log_in(client, user.handle, PASSWORD)
    assert client.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 302
    assert is_logged_in(client)
    client.post(reverse("account_logout"))
    log_in(client, user.handle, PASSWORD)
    assert client.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 200
    assert not is_logged_in(client)


def test_turning_two_factor_off_asks_to_authenticate_again(client, user, settings):
    settings.MFA_TOTP_TOLERANCE = 1
    log_in(client, user.handle, PASSWORD)
    secret = activate_totp(client)
    client.post(reverse("account_logout"))
    # A fresh session: the earlier re-authentication does not carry over.
    log_in(client, user.handle, PASSWORD)
    client.post(reverse("mfa_authenticate"), {"code": totp_now(secret, offset=1)})
    assert is_logged_in(client)
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert "reauthenticate" in response["Location"]
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
