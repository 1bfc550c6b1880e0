"""Account deletion: hidden at once, every session ended, erased after the grace period,
cancelled by logging in before then."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.files.storage import default_storage, storages
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from impasto.accounts.models import DataExport, Profile, User
from impasto.accounts.services import (
    account_deletion_cancel,
    account_deletion_request,
    account_erase,
    data_export_request,
    profile_set_avatar,
)
from tests.accounts import hooks
from tests.accounts.conftest import fresh, log_in, picture
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

GRACE = timedelta(days=30)


def schedule(user: User, *, days_ago: float) -> None:
    User.objects.filter(pk=user.pk).update(
        deletion_scheduled_at=timezone.now() - timedelta(days=days_ago)
    )


def is_logged_in(client: Client) -> bool:
    return client.get(reverse("accounts:settings-profile")).status_code == 200


def test_deletion_asks_for_the_password_then_hides_and_logs_out_everywhere(user, run_on_commit):
    laptop, phone = Client(), Client()
    log_in(laptop, user.handle, PASSWORD)
    log_in(phone, user.handle, PASSWORD)
    assert laptop.get(reverse("accounts:settings-delete")).status_code == 200

    url = reverse("accounts:settings-delete")
    asked = laptop.post(url, {"confirm_handle": f"@{user.handle.upper()}"})
    assert asked.status_code == 302
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    assert fresh(user).deletion_scheduled_at is None

    # After the password, allauth replays the suspended request.
    with run_on_commit():
        done = laptop.post(
            f"{reverse('account_reauthenticate')}?next={url}",
            {"password": PASSWORD, "next": url},
        )
    assert done.status_code == 302
    assert done["Location"] == reverse("core:home")
    assert fresh(user).deletion_scheduled_at is not None
    assert not is_logged_in(laptop)
    assert not is_logged_in(phone)
    assert Client().get(f"/@{user.handle}").status_code == 404
    home = laptop.get(done["Location"]).content.decode()
    assert "scheduled for deletion" in home


def test_deletion_needs_the_handle_typed(client, user):
    log_in(client, user.handle, PASSWORD)
    client.post(
        f"{reverse('account_reauthenticate')}?next=/",
        {"password": PASSWORD, "next": "/"},
    )
    response = client.post(reverse("accounts:settings-delete"), {"confirm_handle": "someone"})
    assert response.status_code == 400
    assert "This is not your handle" in response.content.decode()
    assert fresh(user).deletion_scheduled_at is None


def test_deletion_request_enqueues_the_erasure_for_the_end_of_the_grace_period(
    user, settings, run_on_commit
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    with run_on_commit():
        account_deletion_request(user=user)
    queued = DBTaskResult.objects.get(task_path="impasto.accounts.tasks.account_erase_task")
    scheduled = fresh(user).deletion_scheduled_at
    assert scheduled is not None
    assert queued.run_after == scheduled + GRACE
    assert queued.args_kwargs == {"args": [user.pk], "kwargs": {}}


def test_asking_twice_keeps_the_first_date(user):
    account_deletion_request(user=user)
    first = fresh(user).deletion_scheduled_at
    account_deletion_request(user=user)
    assert fresh(user).deletion_scheduled_at == first


def test_erasure_waits_for_the_grace_period_then_removes_everything(user, run_on_commit):
    with run_on_commit():
        profile_set_avatar(user=user, upload=io.BytesIO(picture("png")))
        export = data_export_request(user=user)
    export.refresh_from_db()
    avatar = Profile.objects.get(user=user).avatar.name
    assert avatar
    assert default_storage.exists(avatar)
    assert storages["private"].exists(export.file_name)

    account_deletion_request(user=user)
    assert account_erase(user_id=user.pk) is False  # not due yet
    assert User.objects.filter(pk=user.pk).exists()

    scheduled = fresh(user).deletion_scheduled_at
    assert scheduled is not None
    later = scheduled + GRACE + timedelta(seconds=1)
    assert account_erase(user_id=user.pk, now=later) is True
    assert not User.objects.filter(pk=user.pk).exists()
    assert not Profile.objects.filter(user_id=user.pk).exists()
    assert not EmailAddress.objects.filter(user_id=user.pk).exists()
    assert not DataExport.objects.filter(user_id=user.pk).exists()
    assert not default_storage.exists(avatar)
    assert not storages["private"].exists(export.file_name)
    # Running again (the task and the sweep both) is harmless.
    assert account_erase(user_id=user.pk, now=later) is False


def test_a_cancelled_deletion_is_not_erased(user):
    account_deletion_request(user=user)
    account_deletion_cancel(user=user)
    far_later = timezone.now() + GRACE * 2
    assert account_erase(user_id=user.pk, now=far_later) is False
    assert User.objects.public().filter(pk=user.pk).exists()


def test_sweep_command_erases_only_what_is_due_and_can_run_twice(capsys):
    due, waiting, kept = UserFactory.create(), UserFactory.create(), UserFactory.create()
    schedule(due, days_ago=31)
    schedule(waiting, days_ago=10)
    call_command("purge_deleted_accounts")
    assert "Erased 1 account" in capsys.readouterr().out
    assert not User.objects.filter(pk=due.pk).exists()
    assert User.objects.filter(pk=waiting.pk).exists()
    assert User.objects.filter(pk=kept.pk).exists()
    call_command("purge_deleted_accounts")
    assert "Erased 0 account" in capsys.readouterr().out


def test_grace_period_is_a_setting(settings):
    settings.ACCOUNTS_DELETION_GRACE_PERIOD = timedelta(days=7)
    user = UserFactory.create()
    schedule(user, days_ago=8)
    call_command("purge_deleted_accounts")
    assert not User.objects.filter(pk=user.pk).exists()


# --- coming back during the grace period -----------------------------------------------------


def test_logging_in_during_the_grace_period_offers_to_cancel(client, user):
    schedule(user, days_ago=3)
    response = log_in(client, user.handle, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:restore")
    assert not is_logged_in(client)
    page = client.get(reverse("accounts:restore")).content.decode()
    assert "Cancel the deletion and log in" in page

    restored = client.post(reverse("accounts:restore"), {"restore": "1"})
    assert restored.status_code == 302
    assert is_logged_in(client)
    assert fresh(user).deletion_scheduled_at is None
    assert client.get(f"/@{user.handle}").status_code == 200


def test_leaving_it_scheduled_does_not_log_in(client, user):
    schedule(user, days_ago=3)
    log_in(client, user.handle, PASSWORD)
    response = client.post(reverse("accounts:restore"), {"leave": "1"})
    assert response.status_code == 302
    assert not is_logged_in(client)
    assert fresh(user).deletion_scheduled_at is not None
    # The half-finished log-in is gone: the page cannot be used to restore later.
    assert client.get(reverse("accounts:restore"))["Location"] == reverse("account_login")


def test_the_restore_page_needs_a_log_in_in_progress(client, user):
    schedule(user, days_ago=3)
    response = client.post(reverse("accounts:restore"), {"restore": "1"})
    assert response["Location"] == reverse("account_login")
    assert fresh(user).deletion_scheduled_at is not None


def test_the_restore_offer_comes_after_the_second_factor(client, user, settings):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from tests.accounts.test_security import totp_now

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    schedule(user, days_ago=1)
    response = log_in(client, user.handle, PASSWORD)
    assert response["Location"] == reverse("mfa_authenticate")
    # Without the second factor the restore page is not reachable.
    assert client.get(reverse("accounts:restore"))["Location"] == reverse("account_login")
    response = client.post(reverse("mfa_authenticate"), {"code": totp_now(secret)})
    assert response["Location"] == reverse("accounts:restore")


# --- what later apps plug in -----------------------------------------------------------------


@pytest.fixture
def later_app_hooks(monkeypatch):
    config = apps.get_app_config("core")
    monkeypatch.setattr(config, "user_data_export", "tests.accounts.hooks.export", raising=False)
    monkeypatch.setattr(config, "user_data_erase", "tests.accounts.hooks.erase", raising=False)
    monkeypatch.setattr(
        config,
        "user_deletion_requested",
        "tests.accounts.hooks.deletion_requested",
        raising=False,
    )
    hooks.calls.clear()
    yield hooks.calls
    hooks.calls.clear()


def test_apps_are_told_of_the_request_and_erase_their_data_first(user, later_app_hooks):
    account_deletion_request(user=user)
    assert later_app_hooks == [("deletion_requested", True)]
    account_erase(user_id=user.pk, now=timezone.now() + GRACE * 2)
    assert later_app_hooks[-1] == ("erase", True)
