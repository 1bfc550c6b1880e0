from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from impasto.accounts.models import Profile, User
from tests.accounts.conftest import fresh, log_in
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new long passphrase"


def sign_up(client, *, handle="newcomer", email="newcomer@example.test", password=NEW_PASSWORD):
    return client.post(
        reverse("account_signup"),
        {"email": email, "username": handle, "password1": password, "password2": password},
    )


def without_csrf(html: str) -> str:
    # CSRF tokens and CSP nonces are new on every page; nothing else may differ.
    return re.sub(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": "|nonce=")[^"]+', r"\1", html)


def link_in(message) -> str:
    match = re.search(r"https?://\S+", message.body)
    assert match, message.body
    return match.group(0)


def test_signup_creates_account_profile_and_sends_verification_with_argon2_hash(
    client, settings, run_on_commit
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    with run_on_commit():
        response = sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(handle="newcomer")
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(NEW_PASSWORD)
    assert Profile.objects.filter(user=user).exists()
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.primary, address.verified) == (
        "newcomer@example.test",
        True,
        False,
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["newcomer@example.test"]
    assert "/accounts/confirm-email/" in link_in(mail.outbox[0])
    assert "Hello from Impasto!" in mail.outbox[0].body
    assert mail.outbox[0].subject.startswith("[Impasto] ")
    # Mandatory verification: signed up is not logged in.
    assert "_auth_user_id" not in client.session


def test_verification_link_verifies_the_email_and_logs_in(client, run_on_commit):
    with run_on_commit():
        sign_up(client)
    confirm = link_in(mail.outbox[0])
    page = client.get(confirm)
    assert page.status_code == 200
    response = client.post(confirm)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="newcomer@example.test").verified
    assert client.session["_auth_user_id"] == str(User.objects.get(handle="newcomer").pk)


@pytest.mark.parametrize(("typed", "stored"), [("@Mira", "mira"), ("INK_Well", "ink_well")])
def test_signup_normalises_the_handle(client, typed, stored):
    sign_up(client, handle=typed)
    assert User.objects.filter(handle=stored).exists()


@pytest.mark.parametrize(
    ("handle", "message"),
    [
        ("admin", "This handle is reserved."),
        ("@settings", "This handle is reserved."),
        ("x", "at least 2 characters"),
        ("has space", "2 to 30 characters"),
        ("héloïse", "2 to 30 characters"),
        ("dash-ed", "2 to 30 characters"),
        ("a" * 31, "at most 30 characters"),
    ],
)
def test_signup_refuses_bad_handles_with_a_message(client, handle, message):
    response = sign_up(client, handle=handle)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_signup_refuses_a_handle_taken_in_another_case(client, user):
    response = sign_up(client, handle=user.handle.upper())
    assert response.status_code == 200
    assert "already" in response.content.decode()
    assert User.objects.count() == 1


def test_signup_with_an_existing_email_does_not_say_so(client, user, run_on_commit):
    with run_on_commit():
        taken = sign_up(client, handle="someone_else", email=user.email.upper())
    with run_on_commit():
        free = sign_up(client, handle="another_one", email="free@example.test")
    # The same answer for both; only the owner of the address learns, by email.
    assert taken.status_code == free.status_code == 302
    assert taken["Location"] == free["Location"]
    assert not User.objects.filter(handle="someone_else").exists()
    to_owner = [message for message in mail.outbox if message.to == [user.email]]
    assert len(to_owner) == 1


@pytest.mark.parametrize("login", ["{handle}", "{HANDLE}", "@{handle}", "{EMAIL}"])
def test_login_by_handle_or_email_in_any_case(client, user, login):
    typed = login.format(handle=user.handle, HANDLE=user.handle.upper(), EMAIL=user.email.upper())
    response = log_in(client, typed, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_with_a_wrong_password_says_so_without_naming_the_field(client, user):
    response = log_in(client, user.handle, "not the password")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "not correct" in response.content.decode()


def test_login_with_an_unverified_email_sends_a_new_verification(client, run_on_commit):
    user = UserFactory.create(email_verified=False)
    with run_on_commit():
        response = log_in(client, user.handle, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert mail.outbox[-1].to == [user.email]


def test_logout_ends_the_session(client, user):
    log_in(client, user.handle, PASSWORD)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(
    client, user, run_on_commit
):
    url = reverse("account_reset_password")
    with run_on_commit():
        known = client.post(url, {"email": user.email})
    with run_on_commit():
        unknown = client.post(url, {"email": "nobody@example.test"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    done_known = without_csrf(client.get(known["Location"]).content.decode())
    done_unknown = without_csrf(client.get(unknown["Location"]).content.decode())
    assert done_known == done_unknown
    to_user = [message for message in mail.outbox if message.to == [user.email]]
    to_nobody = [message for message in mail.outbox if message.to == ["nobody@example.test"]]
    assert len(to_user) == len(to_nobody) == 1
    assert "/accounts/password/reset/key/" in link_in(to_user[0])
    assert "/accounts/password/reset/key/" not in to_nobody[0].body


def test_password_reset_link_sets_a_new_password(client, user, run_on_commit):
    with run_on_commit():
        client.post(reverse("account_reset_password"), {"email": user.email})
    link = link_in(mail.outbox[0])
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    response = client.post(action, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert fresh(user).check_password(NEW_PASSWORD)


def test_password_reset_email_is_sent_by_a_task_not_the_request(
    client, user, settings, run_on_commit
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    # With the database backend the request only writes a task row; nothing is sent until a
    # worker runs it.
    with run_on_commit():
        response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    assert mail.outbox == []
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "impasto.accounts.tasks.email_send_task"
    # What the worker does with the row: the email leaves then.
    result = queued.task_result
    result.task.call(*result.args, **result.kwargs)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert "/accounts/password/reset/key/" in link_in(mail.outbox[0])


def test_password_change_needs_the_current_password_and_tells_by_email(client, user, run_on_commit):
    log_in(client, user.handle, PASSWORD)
    url = reverse("account_change_password")
    wrong = client.post(
        url, {"oldpassword": "nope", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert wrong.status_code == 200
    assert fresh(user).check_password(PASSWORD)
    with run_on_commit():
        right = client.post(
            url, {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
        )
    assert right.status_code == 302
    assert fresh(user).check_password(NEW_PASSWORD)
    assert any(message.to == [user.email] for message in mail.outbox)
    # Still logged in after changing it here.
    assert client.session["_auth_user_id"] == str(user.pk)


def test_email_change_asks_for_the_password_again(client, user):
    log_in(client, user.handle, PASSWORD)
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "second@example.test"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not EmailAddress.objects.filter(email="second@example.test").exists()
