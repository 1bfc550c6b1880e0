"""Posts: create, reply, quote, repost, edit with history, delete, images, link previews."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import override_settings
from django.urls import include, path

from impasto.social.models import (
    Notification,
    Post,
    PostAttachment,
    PostLike,
    PostMention,
    PostRevision,
    PostTag,
)
from impasto.social.selectors.graph import counts_of
from impasto.social.selectors.posts import (
    post_revisions,
    post_thread,
    post_view_for_viewer,
    posts_by_author,
)
from impasto.social.selectors.relations import viewer_for
from impasto.social.services.attachments import AttachmentSpec, attachment_alt_text_update
from impasto.social.services.graph import follow_create, social_settings_update
from impasto.social.services.posts import (
    post_create,
    post_delete,
    post_edit,
    repost_create,
    repost_delete,
)
from impasto.social.services.reactions import (
    post_bookmark,
    post_like,
    post_unbookmark,
    post_unlike,
)

pytestmark = pytest.mark.django_db


def _view(**kwargs):
    return None


# The URL names the web layer will use (docs/social.md, "Link previews").
urlpatterns = [
    path(
        "",
        include(([path("@<str:handle>/posts/<int:post_id>", _view, name="post-detail")], "social")),
    ),
    path("", include(([path("@<str:handle>", _view, name="profile")], "accounts"))),
    path("about", _view, name="about"),
]


def test_post_create_counts_and_threads(alice, bob) -> None:
    root = post_create(author=alice, body="root")
    reply = post_create(author=bob, body="reply", reply_to_id=root.pk)
    deeper = post_create(author=alice, body="deeper", reply_to_id=reply.pk)
    assert root.thread_root_id == root.pk
    assert reply.thread_root_id == deeper.thread_root_id == root.pk
    assert Post.objects.get(pk=root.pk).replies_count == 1
    assert Post.objects.get(pk=reply.pk).replies_count == 1
    assert counts_of(alice).posts == 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"body": ""}, "Write something"),
        ({"body": "   \n  "}, "Write something"),
        ({"body": "x" * 5001}, "at most 5000"),
        ({"body": "ok", "content_warning": "c" * 201}, "at most 200"),
        ({"body": "ok", "visibility": "draft"}, "Choose who can see"),
        ({"body": "nul \x00"}, "not allowed"),
        ({"body": " ".join(f"#tag{i}" for i in range(31))}, "at most 30 hashtags"),
    ],
)
def test_post_create_refuses_bad_input_and_stores_nothing(alice, kwargs, message) -> None:
    with pytest.raises(ValidationError, match=message):
        post_create(author=alice, **kwargs)
    assert not Post.objects.exists()
    assert counts_of(alice).posts == 0


def test_post_create_refuses_too_many_mentions(make_user, alice) -> None:
    people = [make_user() for _ in range(21)]
    body = " ".join(f"@{p.handle}" for p in people)
    with pytest.raises(ValidationError, match="at most 20 people"):
        post_create(author=alice, body=body)
    assert not Post.objects.exists()


def test_reply_to_invisible_post_is_404(alice, bob) -> None:
    secret = post_create(author=alice, body="followers only", visibility="followers")
    with pytest.raises(Http404):
        post_create(author=bob, body="hi", reply_to_id=secret.pk)
    with pytest.raises(Http404):
        post_create(author=bob, body="hi", reply_to_id=123456789)
    follow_create(follower=bob, followee=alice)
    post_create(author=bob, body="hi", reply_to_id=secret.pk)


def test_quote_respects_the_quoted_authors_choice(alice, bob) -> None:
    original = post_create(author=alice, body="quotable")
    quote = post_create(author=bob, body="look", quote_of_id=original.pk)
    assert Post.objects.get(pk=original.pk).quotes_count == 1
    social_settings_update(user=alice, allow_quotes=False)
    with pytest.raises(PermissionDenied, match="@alice does not allow quotes"):
        post_create(author=bob, body="again", quote_of_id=original.pk)
    # One's own posts can always be quoted.
    post_create(author=alice, body="me again", quote_of_id=original.pk)
    assert Post.objects.filter(quote_of=original).count() == 2
    assert quote.quote_of_id == original.pk


def test_followers_only_posts_cannot_be_quoted_or_reposted(alice, bob) -> None:
    follow_create(follower=bob, followee=alice)
    private = post_create(author=alice, body="just for you", visibility="followers")
    with pytest.raises(ValidationError, match="Only public posts can be quoted"):
        post_create(author=bob, body="x", quote_of_id=private.pk)
    with pytest.raises(ValidationError, match="Only public posts can be reposted"):
        repost_create(user=bob, post_id=private.pk)


def test_repost_is_once_per_person_and_undoable(alice, bob, commit) -> None:
    original = post_create(author=alice, body="share me")
    with commit():
        first = repost_create(user=bob, post_id=original.pk)
        second = repost_create(user=bob, post_id=first.pk)  # reposting the repost: the original
    assert first.pk == second.pk
    assert first.body == ""
    assert first.repost_of_id == original.pk
    assert Post.objects.get(pk=original.pk).reposts_count == 1
    assert Notification.objects.get(recipient=alice).kind == "repost"
    assert counts_of(bob).posts == 0  # reposts are not counted as posts
    assert repost_delete(user=bob, post_id=original.pk)
    assert not repost_delete(user=bob, post_id=original.pk)
    assert Post.objects.get(pk=original.pk).reposts_count == 0
    assert not Notification.objects.exists()


def test_edit_keeps_history_marks_edited_and_follows_mentions(alice, bob, carol, commit) -> None:
    with commit():
        post = post_create(author=alice, body="hello @bob #one", content_warning="cw")
    assert Notification.objects.filter(recipient=bob, kind="mention").exists()
    with commit():
        edited = post_edit(author=alice, post_id=post.pk, body="hello @carol #two")
    assert edited.is_edited
    assert edited.content_warning == "cw"
    history = post_revisions(viewer_for(carol), post.pk)
    assert [(r.body, r.content_warning) for r in history] == [("hello @bob #one", "cw")]
    assert list(PostMention.objects.values_list("user__handle", flat=True)) == ["carol"]
    assert list(PostTag.objects.values_list("tag__name", flat=True)) == ["two"]
    assert not Notification.objects.filter(recipient=bob).exists()
    assert Notification.objects.filter(recipient=carol, kind="mention").exists()
    # Same text: no new revision.
    post_edit(author=alice, post_id=post.pk, body="hello @carol #two")
    assert PostRevision.objects.count() == 1


def test_edit_is_for_the_author_only(alice, bob) -> None:
    post = post_create(author=alice, body="mine")
    with pytest.raises(PermissionDenied):
        post_edit(author=bob, post_id=post.pk, body="yours now")
    secret = post_create(author=alice, body="hidden", visibility="followers")
    with pytest.raises(Http404):
        post_edit(author=bob, post_id=secret.pk, body="?")
    assert Post.objects.get(pk=post.pk).body == "mine"
    with pytest.raises(ValidationError):
        post_edit(author=alice, post_id=post.pk, body="")


def test_delete_hides_at_once_and_replies_stay_as_deleted(alice, bob, carol, commit) -> None:
    with commit():
        root = post_create(author=alice, body="root @carol #tag")
        reply = post_create(author=bob, body="reply", reply_to_id=root.pk)
        post_like(user=bob, post_id=root.pk)
        repost_create(user=carol, post_id=root.pk)
        post_edit(author=alice, post_id=root.pk, body="root edited @carol")
    post_delete(user=alice, post_id=root.pk)
    tomb = Post.objects.get(pk=root.pk)
    assert tomb.deleted_at is not None
    assert (tomb.body, tomb.body_html) == ("", "")
    assert not PostRevision.objects.exists()
    assert not PostLike.objects.exists()
    assert not Post.objects.filter(repost_of=root).exists()
    assert not Notification.objects.filter(target_id=root.pk).exists()
    assert counts_of(alice).posts == 0
    with pytest.raises(Http404):
        post_view_for_viewer(viewer_for(alice), root.pk)
    view = post_view_for_viewer(viewer_for(carol), reply.pk)
    assert view.parent_deleted
    thread = post_thread(viewer_for(carol), reply.pk)
    assert thread.ancestors[0].is_deleted
    assert thread.ancestors[0].subject.body == ""
    # Deleting twice: 404, counters untouched.
    with pytest.raises(Http404):
        post_delete(user=alice, post_id=root.pk)
    assert counts_of(alice).posts == 0


def test_delete_is_for_the_author_or_staff(alice, bob, make_user) -> None:
    post = post_create(author=alice, body="mine")
    with pytest.raises(PermissionDenied):
        post_delete(user=bob, post_id=post.pk)
    moderator = make_user(is_staff=True)
    post_delete(user=moderator, post_id=post.pk)
    assert Post.objects.get(pk=post.pk).deleted_at is not None


def test_deleting_a_reply_and_a_quote_fixes_the_counts(alice, bob) -> None:
    root = post_create(author=alice, body="root")
    reply = post_create(author=bob, body="r", reply_to_id=root.pk)
    quote = post_create(author=bob, body="q", quote_of_id=root.pk)
    post_delete(user=bob, post_id=reply.pk)
    post_delete(user=bob, post_id=quote.pk)
    root.refresh_from_db()
    assert (root.replies_count, root.quotes_count) == (0, 0)


def test_likes_and_bookmarks_are_unique_and_counted(alice, bob) -> None:
    post = post_create(author=alice, body="like me")
    post_like(user=bob, post_id=post.pk)
    post_like(user=bob, post_id=post.pk)
    assert Post.objects.get(pk=post.pk).likes_count == 1
    assert post_unlike(user=bob, post_id=post.pk)
    assert not post_unlike(user=bob, post_id=post.pk)
    assert Post.objects.get(pk=post.pk).likes_count == 0
    post_bookmark(user=bob, post_id=post.pk)
    post_bookmark(user=bob, post_id=post.pk)
    view = post_view_for_viewer(viewer_for(bob), post.pk)
    assert view.bookmarked
    assert not view.liked
    assert post_unbookmark(user=bob, post_id=post.pk)


def test_liking_a_repost_likes_the_original(alice, bob, carol) -> None:
    original = post_create(author=alice, body="x")
    repost = repost_create(user=bob, post_id=original.pk)
    post_like(user=carol, post_id=repost.pk)
    assert Post.objects.get(pk=original.pk).likes_count == 1
    assert Post.objects.get(pk=repost.pk).likes_count == 0


def test_like_of_invisible_post_is_404(alice, bob) -> None:
    secret = post_create(author=alice, body="x", visibility="followers")
    with pytest.raises(Http404):
        post_like(user=bob, post_id=secret.pk)
    with pytest.raises(Http404):
        post_bookmark(user=bob, post_id=secret.pk)
    assert Post.objects.get(pk=secret.pk).likes_count == 0


def test_images_that_do_not_exist_are_refused(alice) -> None:
    with pytest.raises(ValidationError, match="not yours or is not ready"):
        post_create(author=alice, body="x", attachments=[AttachmentSpec(1, "alt")])
    assert not Post.objects.exists()


@pytest.mark.parametrize(
    ("status", "purpose", "usable"),
    [
        ("ready", "post", True),
        ("processing", "post", True),
        ("failed", "post", False),
        ("held", "post", False),
        ("ready", "avatar", False),
        ("ready", "artwork", False),
    ],
)
def test_which_uploads_can_be_attached(alice, status, purpose, usable) -> None:
    from tests.factories import MediaAssetFactory

    asset = MediaAssetFactory.create(owner=alice, status=status, purpose=purpose)
    spec = AttachmentSpec(asset.pk, "a heron")
    if usable:
        assert post_create(author=alice, attachments=[spec]).attachments.count() == 1
    else:
        with pytest.raises(ValidationError, match="not yours or is not ready"):
            post_create(author=alice, attachments=[spec])


def test_every_image_is_described_or_marked_decorative(alice, images) -> None:
    images.update({1: alice.pk, 2: alice.pk})
    with pytest.raises(ValidationError, match="Describe image 2"):
        post_create(author=alice, attachments=[AttachmentSpec(1, "a cat"), AttachmentSpec(2)])
    with pytest.raises(ValidationError, match="decorative and also described"):
        post_create(author=alice, attachments=[AttachmentSpec(1, "a cat", decorative=True)])
    with pytest.raises(ValidationError, match="Describe image 1"):
        post_create(author=alice, attachments=[AttachmentSpec(1, "   ")])
    post = post_create(
        author=alice, attachments=[AttachmentSpec(1, "a cat"), AttachmentSpec(2, decorative=True)]
    )
    first, second = post.attachments.all()
    assert (first.alt, second.alt, second.decorative) == ("a cat", "", True)


def test_images_must_be_the_authors_own(alice, bob, images) -> None:
    images.update({1: alice.pk, 2: alice.pk, 3: bob.pk})
    with pytest.raises(ValidationError, match="not yours or is not ready"):
        post_create(
            author=alice, body="", attachments=[AttachmentSpec(1, "a"), AttachmentSpec(3, "b")]
        )
    assert not Post.objects.exists()
    assert not PostAttachment.objects.exists()
    post = post_create(
        author=alice, attachments=[AttachmentSpec(2, "second first"), AttachmentSpec(1, "a cat")]
    )
    assert list(post.attachments.values_list("asset_id", "position", "alt_text")) == [
        (2, 0, "second first"),
        (1, 1, "a cat"),
    ]
    view = post_view_for_viewer(viewer_for(bob), post.pk)
    assert [a.asset_id for a in view.attachments] == [2, 1]


@pytest.mark.parametrize(
    ("specs", "message"),
    [
        ([AttachmentSpec(i, "alt") for i in range(1, 12)], "at most 10 images"),
        ([AttachmentSpec(1, "alt"), AttachmentSpec(1, "alt")], "attached twice"),
        ([AttachmentSpec(1, "a" * 1501)], "at most 1500"),
    ],
)
def test_image_rules(alice, images, specs, message) -> None:
    images.update(dict.fromkeys(range(1, 12), alice.pk))
    with pytest.raises(ValidationError, match=message):
        post_create(author=alice, body="x", attachments=specs)
    assert not Post.objects.exists()


def test_alt_text_can_be_changed_by_the_author_only(alice, bob, images) -> None:
    images[7] = alice.pk
    post = post_create(author=alice, attachments=[AttachmentSpec(7, "old")])
    attachment = post.attachments.get()
    with pytest.raises(PermissionDenied):
        attachment_alt_text_update(author=bob, attachment_id=attachment.pk, alt_text="mine")
    attachment_alt_text_update(author=alice, attachment_id=attachment.pk, alt_text="<b>a heron</b>")
    attachment.refresh_from_db()
    assert attachment.alt_text == "<b>a heron</b>"  # stored as text, escaped when shown


@override_settings(ROOT_URLCONF=__name__, SITE_URL="https://impasto.example")
def test_link_previews_only_of_our_own_pages_and_only_what_the_reader_may_see(
    alice, bob, carol
) -> None:
    secret = post_create(author=alice, body="for followers", visibility="followers")
    follow_create(follower=bob, followee=alice)
    sharing = post_create(
        author=alice,
        body=f"https://evil.example/x then https://impasto.example/@alice/posts/{secret.pk}",
    )
    assert sharing.link_path == f"/@alice/posts/{secret.pk}"
    shared = post_view_for_viewer(viewer_for(bob), sharing.pk).preview
    assert shared is not None
    assert shared.title == "Alice"
    assert post_view_for_viewer(viewer_for(carol), sharing.pk).preview is None
    profile = post_create(author=bob, body="meet [her](/@alice) and https://impasto.example/about")
    preview = post_view_for_viewer(viewer_for(carol), profile.pk).preview
    assert preview is not None
    assert (preview.kind, preview.url, preview.title) == ("profile", "/@alice", "Alice")
    external = post_create(author=bob, body="https://evil.example/@alice/posts/1")
    assert external.link_path == ""


def test_profile_posts_tab_excludes_replies_unless_asked(alice, bob) -> None:
    root = post_create(author=alice, body="root")
    reply = post_create(author=alice, body="self reply", reply_to_id=root.pk)
    repost = repost_create(user=alice, post_id=post_create(author=bob, body="b").pk)
    viewer = viewer_for(bob)
    assert [v.post.pk for v in posts_by_author(viewer, alice).items] == [repost.pk, root.pk]
    assert [v.post.pk for v in posts_by_author(viewer, alice, with_replies=True).items] == [
        repost.pk,
        reply.pk,
        root.pk,
    ]
