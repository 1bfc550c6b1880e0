"""Selectors added for the web pages: the Message button's rule, quote and repost flags, the
header badges, blocked and muted lists, tags and conversations."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from impasto.social.selectors.badges import badges_of
from impasto.social.selectors.graph import blocked_page, muted_page
from impasto.social.selectors.messages import (
    can_message,
    conversation_get_for_viewer,
    conversation_id_with,
    conversation_other,
)
from impasto.social.selectors.posts import post_view_for_viewer, posts_by_author, tag_by_name
from impasto.social.selectors.relations import viewer_for
from impasto.social.services.graph import (
    block_create,
    follow_create,
    mute_create,
    social_settings_update,
)
from impasto.social.services.messages import conversation_decline, message_send
from impasto.social.services.posts import post_create, repost_create
from impasto.social.services.reactions import post_like

pytestmark = pytest.mark.django_db


def _sends(sender, recipient) -> bool:
    try:
        message_send(sender=sender, recipient=recipient, body="hello")
    except PermissionDenied:
        return False
    return True


@pytest.mark.parametrize("policy", ["everyone", "following", "nobody"])
@pytest.mark.parametrize("follows", [False, True])
@pytest.mark.parametrize("block", [None, "theirs", "mine"])
def test_can_message_agrees_with_message_send(alice, bob, policy, follows, block) -> None:
    social_settings_update(user=bob, message_policy=policy)
    if follows:
        follow_create(follower=bob, followee=alice)
    if block == "theirs":
        block_create(blocker=bob, blocked=alice)
    elif block == "mine":
        block_create(blocker=alice, blocked=bob)
    predicted = can_message(viewer_for(alice), bob)
    assert predicted == _sends(alice, bob)


def test_can_message_follows_an_open_or_declined_conversation(alice, bob) -> None:
    message = message_send(sender=alice, recipient=bob, body="first")
    social_settings_update(user=bob, message_policy="nobody")
    # An open conversation goes on whatever the policy says now...
    assert can_message(viewer_for(alice), bob) is _sends(alice, bob) is True
    conversation_decline(user=bob, conversation_id=message.conversation_id)
    # ...until the recipient declines it.
    assert can_message(viewer_for(alice), bob) is _sends(alice, bob) is False
    assert can_message(viewer_for(alice), alice) is False
    assert can_message(viewer_for(None), bob) is False


def test_can_message_uses_what_the_caller_knows(alice, bob, django_assert_num_queries) -> None:
    from impasto.social.selectors.relations import relationship, social_settings_of

    settings = social_settings_of(bob)
    followed_by = relationship(viewer_for(alice), bob).followed_by
    viewer = viewer_for(alice)
    with django_assert_num_queries(1):  # the open conversation, nothing else
        can_message(viewer, bob, recipient_settings=settings, recipient_follows_viewer=followed_by)


def test_quote_and_repost_flags(alice, bob, carol) -> None:
    public = post_create(author=bob, body="public")
    hidden = post_create(author=bob, body="hidden", visibility="followers")
    follow_create(follower=alice, followee=bob)
    view = post_view_for_viewer(viewer_for(alice), public.pk)
    assert (view.can_repost, view.can_quote) == (True, True)
    view = post_view_for_viewer(viewer_for(alice), hidden.pk)
    assert (view.can_repost, view.can_quote) == (False, False)
    social_settings_update(user=bob, allow_quotes=False)
    view = post_view_for_viewer(viewer_for(alice), public.pk)
    assert (view.can_repost, view.can_quote) == (True, False)
    assert post_view_for_viewer(viewer_for(bob), public.pk).can_quote  # the author may
    # A repost row carries its original's flags.
    repost = repost_create(user=carol, post_id=public.pk)
    views = posts_by_author(viewer_for(alice), carol).items
    assert [v.post.pk for v in views] == [repost.pk]
    assert (views[0].can_repost, views[0].can_quote) == (True, False)


def test_badges_count_notifications_conversations_and_requests(alice, bob, carol, commit) -> None:
    post = post_create(author=alice, body="x")
    with commit():
        post_like(user=bob, post_id=post.pk)
        post_like(user=carol, post_id=post.pk)
    follow_create(follower=alice, followee=bob)
    message_send(sender=bob, recipient=alice, body="inbox")
    message_send(sender=carol, recipient=alice, body="request")
    counts = badges_of(viewer_for(alice))
    assert (counts.notifications, counts.messages, counts.requests) == (2, 1, 1)
    assert counts.messages_total == 2
    mute_create(muter=alice, muted=carol)
    counts = badges_of(viewer_for(alice))
    # Muting removes carol's notifications; her request stays until answered.
    assert counts.notifications == 1
    assert badges_of(viewer_for(None)).notifications == 0


def test_blocked_and_muted_pages(alice, bob, carol) -> None:
    block_create(blocker=alice, blocked=bob)
    mute_create(muter=alice, muted=carol)
    assert blocked_page(viewer_for(alice)).items == [bob]
    assert muted_page(viewer_for(alice)).items == [carol]
    assert blocked_page(viewer_for(bob)).items == []
    assert blocked_page(viewer_for(None)).items == []


def test_tag_by_name_folds_the_name(alice) -> None:
    post_create(author=alice, body="#Café")
    tag = tag_by_name("CAFE")
    assert tag is not None
    assert tag.display_name == "Café"
    assert tag_by_name("nothing") is None


def test_conversation_helpers(alice, bob, carol) -> None:
    message = message_send(sender=alice, recipient=bob, body="hi")
    assert conversation_id_with(viewer_for(alice), bob) == message.conversation_id
    assert conversation_id_with(viewer_for(bob), alice) == message.conversation_id
    assert conversation_id_with(viewer_for(carol), alice) is None
    member = conversation_get_for_viewer(viewer_for(bob), message.conversation_id)
    assert conversation_other(member) == alice


def test_post_previews_describe_in_plain_words_and_keep_content_warnings_closed(alice, bob):
    from django.conf import settings

    plain = post_create(author=alice, body="A **heron** & a [reed](https://example.org)")
    hidden = post_create(author=alice, body="The spider itself", content_warning="Spiders")
    for target, expected in ((plain, "A heron & a reed"), (hidden, "Spiders")):
        sharing = post_create(author=bob, body=f"see {settings.SITE_URL}/@alice/posts/{target.pk}")
        preview = post_view_for_viewer(viewer_for(bob), sharing.pk).preview
        assert preview is not None
        assert preview.description == expected
