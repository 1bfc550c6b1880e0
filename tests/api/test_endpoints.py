"""Every endpoint against every kind of caller, then each endpoint's own behaviour."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client, TestCase

from impasto.accounts.models import Profile, User
from impasto.accounts.services import profile_set_avatar, profile_update
from impasto.api.models import AccessToken
from tests.accounts.conftest import picture
from tests.api.conftest import CALLERS, bearer
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REFUSED_TOKEN = {
    "revoked_token": "revoked",
    "expired_token": "expired",
    "deleting_account_token": "cannot use the API",
    "inactive_account_token": "cannot use the API",
    "malformed_token": "not valid",
}


def expected(caller: str, *, anonymous: int, read: int, write: int) -> int:
    if caller in REFUSED_TOKEN:
        return 401
    return {
        "anonymous": anonymous,
        "session": write,
        "read_token": read,
        "write_token": write,
    }[caller]


def assert_error_body(response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert isinstance(body["detail"], str)
    assert body["detail"]
    return body


# --- the matrix ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", CALLERS)
def test_me_get_answers_each_caller(caller_for, user: User, kind: str) -> None:
    caller = caller_for(kind)
    response = caller.request("GET", "/api/v1/me")
    status = expected(kind, anonymous=401, read=200, write=200)
    if status == 200:
        assert response.status_code == 200
        body = response.json()
        assert body["handle"] == user.handle
        assert body["email"] == user.email
        assert body["auth"]["method"] == ("session" if kind == "session" else "token")
        assert body["auth"]["scope"] == ("read" if kind == "read_token" else "write")
    else:
        body = assert_error_body(response, status)
        assert response["WWW-Authenticate"] == 'Bearer realm="impasto"'
        if kind in REFUSED_TOKEN:
            assert REFUSED_TOKEN[kind] in body["detail"]


@pytest.mark.parametrize("kind", CALLERS)
def test_me_profile_update_answers_each_caller(caller_for, user: User, kind: str) -> None:
    caller = caller_for(kind)
    response = caller.request("PATCH", "/api/v1/me/profile", {"bio": "Changed by the API"})
    status = expected(kind, anonymous=401, read=403, write=200)
    changed = Profile.objects.get(user=user).bio == "Changed by the API"
    if status == 200:
        assert response.status_code == 200, response.content
        assert response.json()["profile"]["bio"] == "Changed by the API"
        assert changed
    else:
        body = assert_error_body(response, status)
        assert not changed
        if status == 403:
            assert "only read" in body["detail"]


@pytest.mark.parametrize("kind", CALLERS)
def test_profile_get_answers_each_caller(caller_for, other_user: User, kind: str) -> None:
    caller = caller_for(kind)
    response = caller.request("GET", f"/api/v1/profiles/{other_user.handle}")
    status = expected(kind, anonymous=200, read=200, write=200)
    if status == 200:
        assert response.status_code == 200
        assert response.json()["handle"] == other_user.handle
    else:
        assert_error_body(response, status)


@pytest.mark.parametrize("kind", CALLERS)
def test_tokens_list_answers_each_caller(caller_for, kind: str) -> None:
    caller = caller_for(kind)
    response = caller.request("GET", "/api/v1/me/tokens")
    status = expected(kind, anonymous=401, read=200, write=200)
    if status == 200:
        assert response.status_code == 200
        assert set(response.json()) == {"items", "before", "after"}
    else:
        assert_error_body(response, status)


@pytest.mark.parametrize("kind", CALLERS)
def test_tokens_revoke_answers_each_caller(caller_for, make_token, user: User, kind: str) -> None:
    target, _raw = make_token(user, name="To revoke")
    caller = caller_for(kind)
    response = caller.request("DELETE", f"/api/v1/me/tokens/{target.pk}")
    status = expected(kind, anonymous=401, read=403, write=204)
    target.refresh_from_db()
    if status == 204:
        assert response.status_code == 204
        assert target.revoked_at is not None
    else:
        assert_error_body(response, status)
        assert target.revoked_at is None


# --- other users -------------------------------------------------------------------------------


def test_me_get_shows_the_token_owner_never_someone_else(
    client: Client, make_token, user: User, other_user: User
) -> None:
    _token, raw = make_token(other_user)
    body = client.get("/api/v1/me", headers=bearer(raw)).json()
    assert body["handle"] == other_user.handle
    assert body["email"] == other_user.email


def test_me_profile_update_changes_only_the_callers_profile(
    client: Client, make_token, user: User, other_user: User
) -> None:
    _token, raw = make_token(other_user, scope="write")
    response = client.patch(
        "/api/v1/me/profile", {"location": "Nantes"}, "application/json", headers=bearer(raw)
    )
    assert response.status_code == 200
    assert Profile.objects.get(user=other_user).location == "Nantes"
    assert Profile.objects.get(user=user).location == ""


def test_tokens_list_shows_only_the_callers_tokens(
    client: Client, make_token, user: User, other_user: User
) -> None:
    mine, raw = make_token(user, name="Mine")
    make_token(other_user, name="Theirs")
    body = client.get("/api/v1/me/tokens", headers=bearer(raw)).json()
    assert [item["name"] for item in body["items"]] == ["Mine"]
    assert body["items"][0]["id"] == str(mine.pk)
    assert body["items"][0]["hint"] == f"imp_{mine.key}_…"
    assert raw not in str(body)


def test_tokens_revoke_of_another_users_token_is_not_found(
    client: Client, make_token, user: User, other_user: User
) -> None:
    theirs, _ = make_token(other_user)
    _mine, raw = make_token(user, scope="write")
    response = client.delete(f"/api/v1/me/tokens/{theirs.pk}", headers=bearer(raw))
    assert_error_body(response, 404)
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_tokens_revoke_of_the_token_in_use_signs_the_app_out(
    client: Client, make_token, user: User
) -> None:
    token, raw = make_token(user, scope="write")
    assert client.delete(f"/api/v1/me/tokens/{token.pk}", headers=bearer(raw)).status_code == 204
    response = client.get("/api/v1/me", headers=bearer(raw))
    assert "revoked" in assert_error_body(response, 401)["detail"]


def test_tokens_revoke_with_an_id_that_is_not_a_number_is_422(
    client: Client, make_token, user: User
) -> None:
    _token, raw = make_token(user, scope="write")
    response = client.delete("/api/v1/me/tokens/99999999999999999999", headers=bearer(raw))
    body = assert_error_body(response, 422)
    assert body["errors"][0]["field"] == "token_id"


# --- GET /me -----------------------------------------------------------------------------------


def test_me_get_returns_the_whole_profile(client: Client, make_token, user: User) -> None:
    profile_update(
        user=user,
        display_name="Mira Okafor",
        bio="Ink **and** birds <script>x</script>",
        location="Lyon",
        links=["https://mira.example"],
        disciplines=["illustration", "comics"],
        open_for_commissions=True,
    )
    token, raw = make_token(user)
    body = client.get("/api/v1/me", headers=bearer(raw)).json()
    assert body["display_name"] == "Mira Okafor"
    assert body["auth"] == {
        "method": "token",
        "scope": "read",
        "token_id": str(token.pk),
        "token_expires_at": None,
    }
    profile = body["profile"]
    assert profile["bio_html"].strip() == (
        "<p>Ink <strong>and</strong> birds &lt;script&gt;x&lt;/script&gt;</p>"
    )
    assert profile["links"] == ["https://mira.example"]
    assert [d["value"] for d in profile["disciplines"]] == ["comics", "illustration"]
    assert profile["disciplines"][0]["label"] == "Comics"
    assert profile["open_for_commissions"] is True
    assert profile["avatar_url"] is None


def test_me_get_costs_three_queries_with_a_token(
    client: Client, make_token, user: User, django_assert_num_queries
) -> None:
    _token, raw = make_token(user)
    client.get("/api/v1/me", headers=bearer(raw))  # first use records last_used_at
    # token + owner, account + profile, disciplines
    with django_assert_num_queries(3):
        assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 200


# --- PATCH /me/profile -------------------------------------------------------------------------


def write(client: Client, raw: str, body: object):
    return client.patch("/api/v1/me/profile", body, "application/json", headers=bearer(raw))


def test_me_profile_update_changes_what_is_sent_and_keeps_the_rest(
    client: Client, make_token, user: User
) -> None:
    profile_update(user=user, bio="Kept", location="Lyon")
    _token, raw = make_token(user, scope="write")
    response = write(
        client,
        raw,
        {"location": "Paris", "disciplines": ["3d"], "kind": "community", "open_to_work": True},
    )
    assert response.status_code == 200
    profile = Profile.objects.get(user=user)
    assert (profile.bio, profile.location, profile.kind) == ("Kept", "Paris", "community")
    assert profile.open_to_work is True
    assert list(profile.disciplines.values_list("discipline", flat=True)) == ["3d"]
    assert response.json()["profile"]["location"] == "Paris"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"bio": "x" * 2001}, "bio"),
        ({"display_name": "y" * 65}, "display_name"),
        ({"kind": "brand"}, "kind"),
        ({"disciplines": ["crypto-art"]}, "disciplines.0"),
        ({"links": ["javascript:alert(1)"]}, "links"),
        ({"links": ["https://example.org/" + "a" * 300]}, "links"),
        ({"links": [f"https://example.org/{n}" for n in range(6)]}, "links"),
        ({"open_to_work": "perhaps"}, "open_to_work"),
        ({"location": "Lyon\x00"}, "location"),
        ({"email": "new@example.test"}, "email"),
    ],
)
def test_me_profile_update_refuses_a_bad_value_names_the_field_and_saves_nothing(
    client: Client, make_token, user: User, body: dict[str, Any], field: str
) -> None:
    profile_update(user=user, location="Lyon", display_name="Before")
    _token, raw = make_token(user, scope="write")
    response = write(client, raw, {**body, "bio": body.get("bio", "Should not be saved")})
    result = assert_error_body(response, 422)
    assert field in [error["field"] for error in result["errors"]], result
    assert all(error["message"] for error in result["errors"])
    profile = Profile.objects.get(user=user)
    assert profile.bio == ""
    assert profile.location == "Lyon"
    assert User.objects.get(pk=user.pk).display_name == "Before"
    assert User.objects.get(pk=user.pk).email == user.email


def test_me_profile_update_answers_400_to_a_body_that_is_not_json(
    client: Client, make_token, user: User
) -> None:
    _token, raw = make_token(user, scope="write")
    response = client.patch(
        "/api/v1/me/profile", "{not json", "application/json", headers=bearer(raw)
    )
    assert assert_error_body(response, 400)["detail"] == "The request body is not valid JSON."


# --- CSRF on the session ------------------------------------------------------------------------


def test_session_unsafe_request_needs_the_csrf_token(user: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.patch("/api/v1/me/profile", {"bio": "Forged"}, "application/json")
    assert "CSRF" in assert_error_body(response, 403)["detail"]
    assert Profile.objects.get(user=user).bio == ""

    client.get("/settings/tokens")  # any page sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    response = client.patch(
        "/api/v1/me/profile", {"bio": "Mine"}, "application/json", headers={"X-CSRFToken": csrf}
    )
    assert response.status_code == 200
    assert Profile.objects.get(user=user).bio == "Mine"


def test_session_safe_request_needs_no_csrf_token(user: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get("/api/v1/me").status_code == 200


def test_token_unsafe_request_needs_no_csrf_token(make_token, user: User) -> None:
    client = Client(enforce_csrf_checks=True)
    _token, raw = make_token(user, scope="write")
    assert write(client, raw, {"bio": "From a script"}).status_code == 200


def test_anonymous_unsafe_request_hears_log_in_not_csrf() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.patch("/api/v1/me/profile", {"bio": "x"}, "application/json")
    assert "Bearer" in assert_error_body(response, 401)["detail"]


# --- GET /profiles/{handle} ---------------------------------------------------------------------


def test_profile_get_is_case_insensitive_and_never_shows_the_email(client: Client) -> None:
    UserFactory.create(handle="ink_bird", email="private@example.test")
    for handle in ("ink_bird", "INK_Bird", "@ink_bird"):
        response = client.get(f"/api/v1/profiles/{handle}")
        assert response.status_code == 200
        assert response.json()["handle"] == "ink_bird"
        assert "private@example.test" not in response.content.decode()
        assert "email" not in response.json()


@pytest.mark.parametrize(
    "change", [{"is_active": False}, {"deletion_scheduled_at": "2026-01-01T00:00:00Z"}]
)
def test_profile_get_of_an_account_that_is_not_public_is_not_found(
    client: Client, other_user: User, change: dict[str, Any]
) -> None:
    User.objects.filter(pk=other_user.pk).update(**change)
    response = client.get(f"/api/v1/profiles/{other_user.handle}")
    assert assert_error_body(response, 404)["detail"] == "Not found."


@pytest.mark.parametrize("handle", ["nobody_here", "x", "bad%00handle", "a" * 200, "%C3%A9t%C3%A9"])
def test_profile_get_of_a_missing_or_impossible_handle_is_not_found(
    client: Client, handle: str
) -> None:
    assert_error_body(client.get(f"/api/v1/profiles/{handle}"), 404)


def test_profile_get_costs_two_queries(client: Client, other_user: User, django_assert_num_queries):
    with django_assert_num_queries(2):  # account + profile, disciplines
        assert client.get(f"/api/v1/profiles/{other_user.handle}").status_code == 200


# --- last used --------------------------------------------------------------------------------


def test_token_last_used_is_recorded_without_a_write_on_every_request(
    client: Client, make_token, user: User, django_assert_num_queries
) -> None:
    token, raw = make_token(user)
    assert token.last_used_at is None
    with django_assert_num_queries(3):  # token, the UPDATE of last_used_at, the list
        client.get("/api/v1/me/tokens", headers=bearer(raw))
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    with django_assert_num_queries(2):  # no UPDATE this time
        client.get("/api/v1/me/tokens", headers=bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at == first


def test_token_last_used_is_updated_once_the_resolution_has_passed(
    client: Client, make_token, user: User
) -> None:
    from datetime import timedelta

    from impasto.api.services import LAST_USED_RESOLUTION

    token, raw = make_token(user)
    client.get("/api/v1/me", headers=bearer(raw))
    token.refresh_from_db()
    stale = token.last_used_at - LAST_USED_RESOLUTION - timedelta(seconds=1)
    AccessToken.objects.filter(pk=token.pk).update(last_used_at=stale)
    client.get("/api/v1/me", headers=bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at > stale


# --- plumbing ------------------------------------------------------------------------------


def test_openapi_schema_lists_every_operation_with_unique_short_ids(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    operations = {
        (method.upper(), path): spec["operationId"]
        for path, methods in schema["paths"].items()
        for method, spec in methods.items()
    }
    assert operations == {
        ("GET", "/api/v1/me"): "me_get",
        ("PATCH", "/api/v1/me/profile"): "me_profile_update",
        ("GET", "/api/v1/me/tokens"): "tokens_list",
        ("DELETE", "/api/v1/me/tokens/{token_id}"): "tokens_revoke",
        ("GET", "/api/v1/profiles/{handle}"): "profile_get",
        # social (tests/api/social/)
        ("GET", "/api/v1/me/bookmarks"): "bookmarks_list",
        ("GET", "/api/v1/me/follow-requests"): "follow_requests_list",
        ("POST", "/api/v1/me/follow-requests/{handle}/accept"): "follow_request_accept",
        ("POST", "/api/v1/me/follow-requests/{handle}/reject"): "follow_request_reject",
        ("DELETE", "/api/v1/me/followers/{handle}"): "follower_remove",
        ("GET", "/api/v1/me/social-settings"): "social_settings_get",
        ("PATCH", "/api/v1/me/social-settings"): "social_settings_update",
        ("POST", "/api/v1/posts"): "post_create",
        ("GET", "/api/v1/posts/{post_id}"): "post_get",
        ("PATCH", "/api/v1/posts/{post_id}"): "post_edit",
        ("DELETE", "/api/v1/posts/{post_id}"): "post_delete",
        ("GET", "/api/v1/posts/{post_id}/context"): "post_context",
        ("GET", "/api/v1/posts/{post_id}/revisions"): "post_revisions_list",
        ("POST", "/api/v1/posts/{post_id}/repost"): "post_repost",
        ("DELETE", "/api/v1/posts/{post_id}/repost"): "post_unrepost",
        ("POST", "/api/v1/posts/{post_id}/like"): "post_like",
        ("DELETE", "/api/v1/posts/{post_id}/like"): "post_unlike",
        ("POST", "/api/v1/posts/{post_id}/bookmark"): "post_bookmark",
        ("DELETE", "/api/v1/posts/{post_id}/bookmark"): "post_unbookmark",
        ("GET", "/api/v1/posts/{post_id}/likes"): "post_likers_list",
        ("GET", "/api/v1/posts/{post_id}/reposts"): "post_reposters_list",
        ("GET", "/api/v1/profiles/{handle}/posts"): "profile_posts_list",
        ("GET", "/api/v1/profiles/{handle}/likes"): "profile_likes_list",
        ("GET", "/api/v1/profiles/{handle}/followers"): "profile_followers_list",
        ("GET", "/api/v1/profiles/{handle}/following"): "profile_following_list",
        ("GET", "/api/v1/profiles/{handle}/relationship"): "relationship_get",
        ("POST", "/api/v1/profiles/{handle}/follow"): "profile_follow",
        ("DELETE", "/api/v1/profiles/{handle}/follow"): "profile_unfollow",
        ("POST", "/api/v1/profiles/{handle}/block"): "profile_block",
        ("DELETE", "/api/v1/profiles/{handle}/block"): "profile_unblock",
        ("POST", "/api/v1/profiles/{handle}/mute"): "profile_mute",
        ("DELETE", "/api/v1/profiles/{handle}/mute"): "profile_unmute",
        ("GET", "/api/v1/tags/{name}/posts"): "tag_posts_list",
        ("GET", "/api/v1/notifications"): "notifications_list",
        ("GET", "/api/v1/notifications/unread-count"): "notifications_unread_count_get",
        ("POST", "/api/v1/notifications/read"): "notifications_read",
        ("GET", "/api/v1/conversations"): "conversations_list",
        ("POST", "/api/v1/conversations"): "message_send",
        ("GET", "/api/v1/conversations/unread-count"): "messages_unread_count_get",
        ("GET", "/api/v1/conversations/{conversation_id}/messages"): "messages_list",
        ("POST", "/api/v1/conversations/{conversation_id}/messages"): "message_reply",
        ("POST", "/api/v1/conversations/{conversation_id}/accept"): "conversation_accept",
        ("POST", "/api/v1/conversations/{conversation_id}/decline"): "conversation_decline",
        ("POST", "/api/v1/conversations/{conversation_id}/read"): "conversation_read",
        ("POST", "/api/v1/reports"): "report_create",
        # feeds (tests/feeds/)
        ("GET", "/api/v1/feeds/following"): "feed_following_list",
        ("GET", "/api/v1/feeds/following/new-count"): "feed_following_new_count",
        ("GET", "/api/v1/feeds/latest"): "feed_latest_list",
        ("GET", "/api/v1/feeds/for-you"): "feed_for_you_list",
        ("GET", "/api/v1/feeds/discover"): "feed_discover_list",
        ("GET", "/api/v1/feeds/tags"): "followed_tags_list",
        ("POST", "/api/v1/feeds/tags/{name}"): "feed_tag_follow",
        ("DELETE", "/api/v1/feeds/tags/{name}"): "feed_tag_unfollow",
        ("GET", "/api/v1/feeds/latest/new-count"): "feed_latest_new_count",
        ("GET", "/api/v1/feeds/preferences"): "feed_preferences_get",
        ("GET", "/api/v1/search"): "search_get",
        ("PATCH", "/api/v1/feeds/preferences"): "feed_preferences_patch",
        # portfolio (impasto.art, docs/portfolio.md)
        ("POST", "/api/v1/projects"): "project_create",
        ("GET", "/api/v1/projects/{project_id}"): "project_get",
        ("PUT", "/api/v1/projects/{project_id}"): "project_update",
        ("DELETE", "/api/v1/projects/{project_id}"): "project_delete",
        ("POST", "/api/v1/projects/{project_id}/images"): "project_image_add",
        ("PUT", "/api/v1/projects/{project_id}/images/{image_id}"): "project_image_update",
        ("DELETE", "/api/v1/projects/{project_id}/images/{image_id}"): "project_image_remove",
        ("PUT", "/api/v1/projects/{project_id}/image-order"): "project_images_order",
        ("PUT", "/api/v1/projects/{project_id}/cover"): "project_cover",
        ("PUT", "/api/v1/projects/{project_id}/pin"): "project_pin",
        ("DELETE", "/api/v1/projects/{project_id}/pin"): "project_unpin",
        ("PUT", "/api/v1/projects/{project_id}/like"): "project_like",
        ("DELETE", "/api/v1/projects/{project_id}/like"): "project_unlike",
        ("GET", "/api/v1/projects/{project_id}/comments"): "project_comments_list",
        ("POST", "/api/v1/projects/{project_id}/comments"): "project_comment_create",
        ("POST", "/api/v1/projects/{project_id}/share"): "project_share",
        ("POST", "/api/v1/albums"): "album_create",
        ("PUT", "/api/v1/albums/order"): "albums_order",
        ("GET", "/api/v1/albums/{album_id}"): "album_get",
        ("PUT", "/api/v1/albums/{album_id}"): "album_update",
        ("DELETE", "/api/v1/albums/{album_id}"): "album_delete",
        ("PUT", "/api/v1/albums/{album_id}/projects/{project_id}"): "album_project_add",
        ("DELETE", "/api/v1/albums/{album_id}/projects/{project_id}"): "album_project_remove",
        ("PUT", "/api/v1/albums/{album_id}/project-order"): "album_projects_order",
        ("PUT", "/api/v1/albums/{album_id}/cover"): "album_cover",
        ("DELETE", "/api/v1/comments/{comment_id}"): "project_comment_delete",
        ("GET", "/api/v1/profiles/{handle}/projects"): "profile_projects_list",
        ("GET", "/api/v1/profiles/{handle}/albums"): "profile_albums_list",
        # media (tests/api/social/test_media.py)
        ("POST", "/api/v1/media"): "media_upload",
        ("GET", "/api/v1/media/{media_id}"): "media_get",
        ("DELETE", "/api/v1/media/{media_id}"): "media_delete",
    }
    public = schema["paths"]["/api/v1/profiles/{handle}"]["get"]["security"]
    assert {} in public
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }


def test_rate_limit_hook_sees_every_request_and_can_answer_429(
    client: Client, make_token, user: User, monkeypatch
) -> None:
    from impasto.api import throttling
    from impasto.api.errors import RateLimited

    seen = []

    def limiter(request, *, principal) -> None:
        seen.append(principal.via if principal else None)
        if len(seen) > 2:
            raise RateLimited(retry_after=30)

    monkeypatch.setattr(throttling, "api_rate_limit", limiter)
    _token, raw = make_token(user)
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 200
    assert client.get("/api/v1/me", headers=bearer("imp_bad")).status_code == 401
    response = client.get(f"/api/v1/profiles/{user.handle}")
    assert_error_body(response, 429)
    assert response["Retry-After"] == "30"
    assert seen == ["token", None, "anonymous"]


def test_session_of_an_account_being_deleted_is_refused(user: User) -> None:
    client = Client()
    client.force_login(user)
    User.objects.filter(pk=user.pk).update(deletion_scheduled_at="2026-01-01T00:00:00Z")
    assert_error_body(client.get("/api/v1/me"), 401)


@pytest.mark.parametrize("path", ["/api/v1/nothing", "/api/v1/me/", "/api/v2/me", "/api/"])
def test_unknown_api_address_answers_404_in_the_error_format(client: Client, path: str) -> None:
    assert assert_error_body(client.get(path), 404)["detail"] == "No such API address."


def test_unexpected_error_answers_500_in_the_error_format_and_is_reported(
    make_token, user: User, monkeypatch
) -> None:
    from django.core.signals import got_request_exception

    from impasto.api.routers import me

    def broken(**kwargs):
        raise RuntimeError("boom")

    reported = []

    def on_exception(sender, request, **kwargs) -> None:
        reported.append(request.path)

    monkeypatch.setattr(me, "user_get_with_profile", broken)
    got_request_exception.connect(on_exception)
    try:
        _token, raw = make_token(user)
        response = Client(raise_request_exception=False).get("/api/v1/me", headers=bearer(raw))
    finally:
        got_request_exception.disconnect(on_exception)
    body = assert_error_body(response, 500)
    assert "boom" not in body["detail"]
    assert reported == ["/api/v1/me"]


def test_profile_get_gives_picture_urls_that_serve_the_pictures(
    client: Client, other_user: User
) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):  # the pipeline runs
        profile_set_avatar(user=other_user, upload=io.BytesIO(picture("png")))
    body = client.get(f"/api/v1/profiles/{other_user.handle}").json()
    url = body["profile"]["avatar_url"]
    assert url.startswith("http")
    assert body["profile"]["banner_url"] is None
    response = client.get(urlsplit(url).path)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
