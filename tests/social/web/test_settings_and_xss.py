"""The Social settings pages, and user text that tries to be HTML."""

from __future__ import annotations

import pytest
from django.urls import reverse

from impasto.accounts.services import profile_update
from impasto.social.models import SocialSettings
from impasto.social.services.graph import follow_create, mute_create
from impasto.social.services.messages import message_send
from impasto.social.services.posts import post_create
from impasto.social.services.reactions import post_like
from tests.social.web.helpers import parse, text_of

pytestmark = pytest.mark.django_db

SETTINGS = "/settings/social"


# --- settings ------------------------------------------------------------------------------


def test_social_settings_page_is_in_the_settings_navigation(alice, as_user):
    html = text_of(as_user(alice).get(SETTINGS))
    assert f'<a href="{SETTINGS}" aria-current="page">Social</a>' in html
    assert 'href="/settings/social/blocked"' in html


def test_social_settings_save(alice, as_user):
    client = as_user(alice)
    response = client.post(
        SETTINGS,
        {"locked": "on", "message_policy": "following", "allow_quotes": "", "digest_daily": "on"},
    )
    assert response["Location"] == SETTINGS
    row = SocialSettings.objects.get(user=alice)
    assert (row.locked, row.message_policy, row.allow_quotes, row.digest_daily) == (
        True,
        "following",
        False,
        True,
    )
    assert "Your social settings are saved." in text_of(client.get(SETTINGS))


def test_social_settings_refuse_a_bad_choice(alice, as_user):
    response = as_user(alice).post(SETTINGS, {"message_policy": "strangers"})
    assert response.status_code == 400
    assert "Choose who may message you" in text_of(response)
    assert not SocialSettings.objects.exists()


def test_blocked_and_muted_lists_undo_with_htmx(alice, bob, carol, as_user):
    from impasto.social.services.graph import block_create

    block_create(blocker=alice, blocked=bob)
    mute_create(muter=alice, muted=carol)
    client = as_user(alice)
    html = text_of(client.get("/settings/social/blocked"))
    assert "@bob" in html
    assert "@carol" in html
    unmuted = client.post("/@carol/unmute", {"where": "settings"}, headers={"HX-Request": "true"})
    assert unmuted.status_code == 200
    assert text_of(unmuted) == ""  # the row leaves the list
    assert "Carol is no longer muted." in unmuted["HX-Trigger"]


# --- XSS: everything people write comes out inert -------------------------------------------

ATTACK = '<script>alert(1)</script><img src=x onerror=alert(2)>"><svg onload=alert(3)>'


def _no_live_markup(html: str) -> None:
    page = parse(html.encode())
    assert page.inline_scripts == 0
    assert page.handlers == []
    assert not page.find("img", src="x")
    assert "<svg onload" not in html


def test_post_text_and_content_warning_render_inert(alice, client):
    post = post_create(
        author=alice, body=ATTACK + " [x](javascript:alert(4))", content_warning=ATTACK
    )
    html = text_of(client.get(f"/@alice/posts/{post.pk}"))
    _no_live_markup(html)
    assert 'href="javascript:' not in html
    assert "&lt;script&gt;" in html


def test_display_names_and_handles_render_inert_everywhere(alice, make_user, commit, as_user):
    evil = make_user(handle="evil", display_name='<img src=x onerror=alert(1)>"><b')
    profile_update(user=evil, bio=ATTACK)
    post = post_create(author=alice, body="Hello")
    with commit():
        post_like(user=evil, post_id=post.pk)
        follow_create(follower=evil, followee=alice)
    message_send(sender=evil, recipient=alice, body=ATTACK)
    post_create(author=evil, body=f"quoting {ATTACK}", quote_of_id=post.pk)
    client = as_user(alice)
    conversation = evil.conversation_memberships.get().conversation_id
    for url in (
        "/@evil",
        "/@alice/followers",
        "/notifications",
        "/messages/requests",
        f"/messages/{conversation}",
        f"/@alice/posts/{post.pk}",
        "/@evil/block",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        _no_live_markup(text_of(response))


def test_message_bodies_render_inert(alice, bob, as_user):
    follow_create(follower=alice, followee=bob)
    message = message_send(sender=bob, recipient=alice, body=ATTACK + " [x](javascript:alert(4))")
    html = text_of(
        as_user(alice).get(reverse("social:conversation", args=[message.conversation_id]))
    )
    _no_live_markup(html)
    assert 'href="javascript:' not in html


def test_a_tag_name_in_the_url_renders_inert(client, db):
    html = text_of(client.get("/tags/%3Cscript%3Ealert(1)%3C%2Fscript%3E"))
    _no_live_markup(html)
