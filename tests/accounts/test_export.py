"""Data export: what the zip holds, who may download it, and when it goes."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core.files.storage import storages
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from impasto.accounts.models import DataExport
from impasto.accounts.services import (
    data_export_build,
    data_export_expire,
    data_export_request,
    profile_set_avatar,
    profile_update,
)
from impasto.accounts.userdata import ExportWriter
from tests.accounts.conftest import log_in, picture, private_files
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def request_export(client: Client, run_on_commit) -> DataExport:
    with run_on_commit():
        response = client.post(reverse("accounts:settings-export"))
    assert response.status_code == 302
    return DataExport.objects.latest("created_at")


def download(client: Client, export: DataExport):
    return client.get(reverse("accounts:export-download", args=[export.pk]))


def archive_of(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_export_holds_account_profile_emails_sessions_and_pictures(user, run_on_commit):
    client = Client(HTTP_USER_AGENT="Export test browser")
    log_in(client, user.handle, PASSWORD, REMOTE_ADDR="192.0.2.5")
    profile_update(user=user, bio="Birds.", links=["mira.example"], disciplines=["comics"])
    with run_on_commit():  # the pipeline processes the avatar
        profile_set_avatar(user=user, upload=io.BytesIO(picture("png")))

    export = request_export(client, run_on_commit)
    assert export.status == DataExport.Status.READY
    response = download(client, export)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    assert f"impasto-{user.handle}-" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]

    archive = archive_of(response)
    names = set(archive.namelist())
    assert {
        "README.txt",
        "accounts/account.json",
        "accounts/profile.json",
        "accounts/emails.json",
        "accounts/sessions.json",
        "accounts/two_factor.json",
        "accounts/avatar.webp",
    } <= names
    account = json.loads(archive.read("accounts/account.json"))
    assert account["handle"] == user.handle
    assert account["email"] == user.email
    profile = json.loads(archive.read("accounts/profile.json"))
    assert profile["bio"] == "Birds."
    assert profile["links"] == ["https://mira.example"]
    assert profile["fields"] == ["comics"]
    assert profile["avatar"] == "avatar.webp"
    assert archive.read("accounts/avatar.webp")[:4] == b"RIFF"
    emails = json.loads(archive.read("accounts/emails.json"))
    assert emails == [{"email": user.email, "verified": True, "primary": True}]
    sessions = json.loads(archive.read("accounts/sessions.json"))
    assert sessions[0]["ip"] == "192.0.2.5"
    assert sessions[0]["browser"] == "Export test browser"
    # No password hash, no session keys, no two-factor secrets anywhere in the archive.
    everything = b"".join(archive.read(name) for name in names)
    assert user.password.encode() not in everything
    assert b"session_key" not in everything


def test_only_the_owner_can_download(user, other_user, run_on_commit):
    owner = Client()
    log_in(owner, user.handle, PASSWORD)
    export = request_export(owner, run_on_commit)
    stranger = Client()
    log_in(stranger, other_user.handle, PASSWORD)
    assert download(stranger, export).status_code == 404
    anonymous = download(Client(), export)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    assert download(owner, export).status_code == 200


def test_an_expired_export_is_gone(user_client, user, run_on_commit):
    export = request_export(user_client, run_on_commit)
    export.refresh_from_db()
    assert storages["private"].exists(export.file_name)
    assert export.expires_at is not None
    later = export.expires_at + timedelta(seconds=1)
    assert data_export_expire(export_id=export.pk, now=later) is True
    export.refresh_from_db()
    assert export.status == DataExport.Status.EXPIRED
    assert not storages["private"].exists(export.file_name)
    assert download(user_client, export).status_code == 404
    assert (
        "Expired and deleted"
        in user_client.get(reverse("accounts:settings-export")).content.decode()
    )


def test_exports_expire_after_the_configured_lifetime(user, settings, run_on_commit):
    settings.ACCOUNTS_EXPORT_LIFETIME = timedelta(days=2)
    with run_on_commit():
        export = data_export_request(user=user)
    export.refresh_from_db()
    assert export.expires_at is not None
    assert export.finished_at is not None
    assert export.expires_at - export.finished_at == timedelta(days=2)


def test_sweep_command_expires_what_is_due(user, run_on_commit, capsys):
    before = private_files()
    with run_on_commit():
        export = data_export_request(user=user)
    export.refresh_from_db()
    assert private_files() == before | {export.file_name}
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    call_command("purge_expired_exports")
    assert "Expired 1 data export" in capsys.readouterr().out
    assert private_files() == before
    call_command("purge_expired_exports")
    assert "Expired 0 data export" in capsys.readouterr().out


def test_one_export_a_day(user_client, user, run_on_commit):
    request_export(user_client, run_on_commit)
    again = user_client.post(reverse("accounts:settings-export"))
    assert again.status_code == 429
    assert "less than a day ago" in again.content.decode()
    assert DataExport.objects.filter(user=user).count() == 1


def test_building_twice_is_harmless(user, run_on_commit):
    before = private_files()
    with run_on_commit():
        export = data_export_request(user=user)
    assert data_export_build(export_id=export.pk) is False
    assert data_export_build(export_id=123) is False
    assert len(private_files() - before) == 1


def test_a_failed_build_is_marked_and_can_be_asked_again(user, monkeypatch, run_on_commit):
    from impasto.accounts.services import exports
    from impasto.accounts.userdata import UserDataHooks

    def broken(*, user, writer):
        raise RuntimeError("disk on fire")

    broken_hooks = UserDataHooks(
        app_label="broken", export=broken, erase=None, deletion_requested=None
    )
    monkeypatch.setattr(exports, "user_data_hooks", lambda: [broken_hooks])
    with run_on_commit():
        export = data_export_request(user=user)
    export.refresh_from_db()
    assert export.status == DataExport.Status.FAILED
    monkeypatch.undo()
    # A failed export does not count against the once-a-day limit.
    with run_on_commit():
        retry = data_export_request(user=user)
    retry.refresh_from_db()
    assert retry.status == DataExport.Status.READY


def test_later_apps_add_their_part_to_the_export(user_client, run_on_commit, monkeypatch):
    from django.apps import apps

    config = apps.get_app_config("core")
    monkeypatch.setattr(config, "user_data_export", "tests.accounts.hooks.export", raising=False)
    export = request_export(user_client, run_on_commit)
    archive = archive_of(download(user_client, export))
    assert json.loads(archive.read("core/things.json"))[0]["title"] == "A later app's data"


@pytest.mark.parametrize("name", ["../escape.json", "/etc/passwd", "a/../../b.json"])
def test_an_app_cannot_write_outside_its_folder(name):
    with zipfile.ZipFile(io.BytesIO(), "w") as archive:
        writer = ExportWriter(archive, "core")
        with pytest.raises(ValueError, match="leave"):
            writer.add_json(name, {})


def test_the_export_list_costs_the_same_for_one_export_or_ten(
    user_client, user, django_assert_num_queries
):
    def make(count: int) -> None:
        for n in range(count):
            DataExport.objects.create(
                user=user,
                file_name=f"exports/listed-{n}.zip",
                created_at=timezone.now() - timedelta(days=2 + n),
                status=DataExport.Status.EXPIRED,
            )

    make(1)
    # The session, the user, then the exports; and the header's unread badges (social: the
    # reader's relations, and the three counts in one query).
    with django_assert_num_queries(5):
        assert user_client.get(reverse("accounts:settings-export")).status_code == 200
    make(9)
    with django_assert_num_queries(5):
        page = user_client.get(reverse("accounts:settings-export")).content.decode()
    assert page.count("export-list__item") == 10
