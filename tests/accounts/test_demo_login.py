from __future__ import annotations

import pytest
from django.core.management import call_command

from impasto.accounts.models import User
from impasto.demo.management.commands.demo import ARTISTS, DEMO_PASSWORD
from tests.accounts.conftest import log_in

pytestmark = pytest.mark.django_db


def test_demo_artists_log_in_with_the_printed_credentials(client, capsys):
    call_command("demo")
    printed = capsys.readouterr().out
    handle = ARTISTS[0][0]
    assert f"{handle} / {DEMO_PASSWORD}" in printed
    response = log_in(client, handle, DEMO_PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(handle=handle).pk)
    # Their pages work, avatar included.
    page = client.get(f"/@{handle}")
    assert page.status_code == 200
    avatar = page.content.decode().split('class="avatar avatar--xl" src="')[1].split('"')[0]
    assert client.get(avatar).status_code == 200
