"""Writing posts: create (with replies and quotes), edit with history, delete, repost."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from impasto.accounts.models import User
from impasto.social import tasks
from impasto.social.models import (
    Post,
    PostAttachment,
    PostBookmark,
    PostLike,
    PostMention,
    PostRevision,
    PostTag,
    Tag,
)
from impasto.social.models.notifications import NotificationKind as Kind
from impasto.social.models.posts import BODY_MAX_LENGTH, CONTENT_WARNING_MAX_LENGTH
from impasto.social.previews import previewable
from impasto.social.selectors.posts import post_get_for_viewer
from impasto.social.selectors.relations import social_settings_of, viewer_for
from impasto.social.services._common import (
    bump_post_counter,
    bump_user_counters,
    enqueue_on_commit,
)
from impasto.social.services.attachments import (
    AttachmentSpec,
    attachments_create,
    attachments_validate,
)
from impasto.social.services.notifications import (
    notification_delete,
    notifications_delete_for_target,
)
from impasto.social.text import clean_text, own_site_path, parse_post, render_post
from impasto.social.visibility import OPEN_VISIBILITIES, POST_VISIBILITIES

MAX_MENTIONS = 20
MAX_TAGS = 30
POSTS = "posts_count"


@dataclass(frozen=True)
class _Text:
    body: str
    html: str
    mentioned: list[User]
    tags: list[tuple[str, str]]
    link_path: str


def _prepare_text(*, author: User, body: str) -> _Text:
    """Parse once, resolve the mentioned handles, render; raise before anything is written."""
    parsed = parse_post(body)
    if len(parsed.mentions) > MAX_MENTIONS:
        raise ValidationError(
            _("A post can mention at most %(max)d people.") % {"max": MAX_MENTIONS},
            code="too_many_mentions",
        )
    if len(parsed.hashtags) > MAX_TAGS:
        raise ValidationError(
            _("A post can have at most %(max)d hashtags.") % {"max": MAX_TAGS},
            code="too_many_tags",
        )
    users = (
        list(User.objects.public().filter(handle__in=parsed.mentions)) if parsed.mentions else []
    )
    html = render_post(parsed, known_handles={u.handle for u in users})
    link_path = ""
    for href in parsed.links:
        path = own_site_path(href)
        if path and previewable(path):
            link_path = path
            break
    return _Text(
        body=body,
        html=str(html),
        mentioned=[u for u in users if u.pk != author.pk],
        tags=parsed.hashtags,
        link_path=link_path,
    )


def _set_mentions(post: Post, users: Sequence[User]) -> None:
    wanted = {u.pk for u in users}
    PostMention.objects.filter(post=post).exclude(user_id__in=wanted).delete()
    PostMention.objects.bulk_create(
        [PostMention(post=post, user_id=uid) for uid in sorted(wanted)], ignore_conflicts=True
    )


def _set_tags(post: Post, tags: Sequence[tuple[str, str]]) -> None:
    names = [name for name, _display in tags]
    Tag.objects.bulk_create(
        [Tag(name=name, display_name=display) for name, display in tags], ignore_conflicts=True
    )
    ids = list(Tag.objects.filter(name__in=names).values_list("pk", flat=True))
    PostTag.objects.filter(post=post).exclude(tag_id__in=ids).delete()
    PostTag.objects.bulk_create(
        [PostTag(post=post, tag_id=tid) for tid in ids], ignore_conflicts=True
    )


def _clean_body(body: str) -> str:
    return clean_text(body, max_length=BODY_MAX_LENGTH, label=_("The text"))


def _clean_warning(text: str) -> str:
    return clean_text(text, max_length=CONTENT_WARNING_MAX_LENGTH, label=_("The content warning"))


def _original(viewer_post: Post) -> Post:
    """A repost stands for its original: replying to, quoting or liking it means the original."""
    if viewer_post.repost_of_id is None:
        return viewer_post
    return Post.objects.select_related("author").get(pk=viewer_post.repost_of_id)


def post_create(
    *,
    author: User,
    body: str = "",
    content_warning: str = "",
    visibility: str = "public",
    reply_to_id: int | None = None,
    quote_of_id: int | None = None,
    attachments: Sequence[AttachmentSpec] = (),
) -> Post:
    """Publish a post, a reply (``reply_to_id``) or a quote post (``quote_of_id``).

    ``Http404`` when the post replied to or quoted is not visible to the author;
    ``PermissionDenied`` when its author does not allow quotes; ``ValidationError`` for text
    that is empty, too long or has too many mentions or hashtags, and for images that are not
    the author's own, not ready, or too many. Nothing is stored when any check fails.
    """
    body = _clean_body(body)
    warning = _clean_warning(content_warning)
    if visibility not in POST_VISIBILITIES:
        raise ValidationError(
            _("Choose who can see the post: public, followers only or unlisted."),
            code="invalid_visibility",
        )
    images = attachments_validate(author=author, specs=attachments)
    if not body and not images:
        raise ValidationError(_("Write something or add an image."), code="empty_post")
    viewer = viewer_for(author)
    # "is not None": an id of 0 names no post (404), it does not mean "not a reply".
    parent = (
        _original(post_get_for_viewer(viewer, reply_to_id)) if reply_to_id is not None else None
    )
    quoted = (
        _original(post_get_for_viewer(viewer, quote_of_id)) if quote_of_id is not None else None
    )
    if quoted is not None:
        if quoted.visibility not in OPEN_VISIBILITIES:
            raise ValidationError(_("Only public posts can be quoted."), code="quote_not_public")
        if quoted.author_id != author.pk and not social_settings_of(quoted.author).allow_quotes:
            raise PermissionDenied(
                _("@%(handle)s does not allow quotes of their posts.")
                % {"handle": quoted.author.handle}
            )
    text = _prepare_text(author=author, body=body)
    with transaction.atomic():
        post = Post(
            author=author,
            body=text.body,
            body_html=text.html,
            content_warning=warning,
            visibility=visibility,
            reply_to=parent,
            quote_of=quoted,
            link_path=text.link_path,
        )
        post.thread_root_id = (parent.thread_root_id or parent.pk) if parent else post.pk
        post.save(force_insert=True)
        _set_mentions(post, text.mentioned)
        _set_tags(post, text.tags)
        attachments_create(post=post, specs=images)
        bump_user_counters({author.pk: {POSTS: 1}})
        if parent is not None:
            bump_post_counter(parent.pk, "replies_count", 1)
        if quoted is not None:
            bump_post_counter(quoted.pk, "quotes_count", 1)
        enqueue_on_commit(tasks.post_notify_task, post.pk)
    return post


def _own_post(*, user: User, post_id: int, allow_staff: bool = False) -> Post:
    """The post if ``user`` may change it: 404 if they may not see it, 403 if not theirs."""
    post = post_get_for_viewer(viewer_for(user), post_id)
    if post.author_id != user.pk and not (allow_staff and user.is_staff):
        raise PermissionDenied(_("You can only change your own posts."))
    return post


@transaction.atomic
def post_edit(*, author: User, post_id: int, body: str, content_warning: str | None = None) -> Post:
    """Change a post's text (and content warning); the earlier version goes to its history.

    Mentions and hashtags follow the new text: newly mentioned people are notified, people
    no longer mentioned lose the notification. Visibility, thread and quote do not change.
    """
    post = _own_post(user=author, post_id=post_id)
    if post.repost_of_id is not None:
        raise ValidationError(_("A repost has no text to edit."), code="repost_edit")
    post = Post.objects.select_for_update().get(pk=post.pk)
    body = _clean_body(body)
    warning = post.content_warning if content_warning is None else _clean_warning(content_warning)
    if body == post.body and warning == post.content_warning:
        return post
    if not body and not PostAttachment.objects.filter(post=post).exists():
        raise ValidationError(_("Write something or add an image."), code="empty_post")
    text = _prepare_text(author=author, body=body)
    now = timezone.now()
    PostRevision.objects.create(
        post=post,
        body=post.body,
        content_warning=post.content_warning,
        written_at=post.edited_at or post.created_at,
        replaced_at=now,
    )
    post.body = text.body
    post.body_html = text.html
    post.content_warning = warning
    post.link_path = text.link_path
    post.edited_at = now
    post.save(update_fields=["body", "body_html", "content_warning", "link_path", "edited_at"])
    _set_mentions(post, text.mentioned)
    _set_tags(post, text.tags)
    enqueue_on_commit(tasks.post_notify_task, post.pk)
    return post


def soft_delete_post(post: Post) -> bool:
    """Take a post out of view at once and erase its content; replies keep their place.

    Runs inside the caller's transaction. The conditional UPDATE decides who deleted it, so
    counters move once even when two deletes race. Returns False if it was already deleted.
    """
    deleted = Post.objects.filter(pk=post.pk, deleted_at__isnull=True).update(
        deleted_at=timezone.now(), body="", body_html="", content_warning="", link_path=""
    )
    if not deleted:
        return False
    bump_user_counters({post.author_id: {POSTS: -1}})
    if post.reply_to_id is not None:
        bump_post_counter(post.reply_to_id, "replies_count", -1)
    if post.quote_of_id is not None:
        bump_post_counter(post.quote_of_id, "quotes_count", -1)
    for model in (PostRevision, PostMention, PostTag, PostAttachment, PostLike, PostBookmark):
        model._default_manager.filter(post_id=post.pk).delete()
    # Reposts are bare pointers: they go with the original.
    Post.objects.filter(repost_of_id=post.pk).delete()
    notifications_delete_for_target(target_type="post", target_ids=[post.pk])
    return True


@transaction.atomic
def post_delete(*, user: User, post_id: int) -> None:
    """Delete one's post (staff may delete anyone's); a repost is simply undone."""
    post = _own_post(user=user, post_id=post_id, allow_staff=True)
    if post.repost_of_id is not None:
        _undo_repost(reposter_id=post.author_id, original_id=post.repost_of_id)
        return
    soft_delete_post(post)


@transaction.atomic
def repost_create(*, user: User, post_id: int) -> Post:
    """Repost a post to one's followers (once; reposting again returns the same repost)."""
    original = _original(post_get_for_viewer(viewer_for(user), post_id))
    if original.visibility not in OPEN_VISIBILITIES:
        raise ValidationError(_("Only public posts can be reposted."), code="repost_not_public")
    repost = Post(author=user, repost_of=original, visibility=original.visibility)
    repost.thread_root_id = repost.pk
    try:
        with transaction.atomic():
            repost.save(force_insert=True)
    except IntegrityError:
        return Post.objects.get(author=user, repost_of=original)
    bump_post_counter(original.pk, "reposts_count", 1)
    enqueue_on_commit(tasks.post_notify_task, repost.pk)
    return repost


def _undo_repost(*, reposter_id: int, original_id: int) -> bool:
    _total, per_model = Post.objects.filter(
        author_id=reposter_id, repost_of_id=original_id
    ).delete()
    if not per_model.get(Post._meta.label, 0):
        return False
    bump_post_counter(original_id, "reposts_count", -1)
    author_id = Post.objects.filter(pk=original_id).values_list("author_id", flat=True).first()
    if author_id is not None:
        notification_delete(
            recipient_id=author_id,
            actor_id=reposter_id,
            kind=Kind.REPOST,
            target_type="post",
            target_id=original_id,
        )
    return True


@transaction.atomic
def repost_delete(*, user: User, post_id: int) -> bool:
    """Undo one's repost of ``post_id`` (the original's id, or the repost's own)."""
    row = Post.objects.filter(pk=post_id).values_list("repost_of_id", "author_id").first()
    if row is None:
        raise Http404("No such post.")
    original_id = row[0] if row[0] is not None and row[1] == user.pk else post_id
    return _undo_repost(reposter_id=user.pk, original_id=original_id)
