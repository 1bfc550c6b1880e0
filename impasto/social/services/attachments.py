"""Images on posts: count, order, descriptions and ownership are checked here.

Which assets are usable comes from :mod:`impasto.social.assets` (the author's own post
uploads, processing or ready). Every image is either described (``alt_text``) or marked
``decorative``; one with neither is refused, so a missing description is never silent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from impasto.accounts.models import User
from impasto.imaging.models import MediaAsset, Purpose
from impasto.imaging.services import assets_delete_unused
from impasto.social.assets import usable_asset_ids
from impasto.social.models import Post, PostAttachment
from impasto.social.models.attachments import ALT_TEXT_MAX_LENGTH, MAX_ATTACHMENTS
from impasto.social.selectors.posts import post_get_for_viewer
from impasto.social.selectors.relations import viewer_for
from impasto.social.text import clean_text


@dataclass(frozen=True)
class AttachmentSpec:
    """One image to attach: an uploaded asset of the author's, and its description."""

    asset_id: int
    alt_text: str = ""
    decorative: bool = False


def _alt(text: str) -> str:
    return clean_text(text, max_length=ALT_TEXT_MAX_LENGTH, label=_("The image description"))


def attachments_validate(*, author: User, specs: Sequence[AttachmentSpec]) -> list[AttachmentSpec]:
    """Check images before anything is written; returns them with cleaned alt text."""
    if not specs:
        return []
    if len(specs) > MAX_ATTACHMENTS:
        raise ValidationError(
            _("A post can have at most %(max)d images.") % {"max": MAX_ATTACHMENTS},
            code="too_many_images",
        )
    ids = [spec.asset_id for spec in specs]
    if len(set(ids)) != len(ids):
        raise ValidationError(_("The same image is attached twice."), code="duplicate_image")
    usable = usable_asset_ids(owner_id=author.pk, asset_ids=ids)
    if set(ids) - usable:
        # Someone else's image, one still processing or held: the same answer for all, so the
        # message does not reveal whose images exist.
        raise ValidationError(
            _("One of these images is not yours or is not ready yet."), code="image_not_usable"
        )
    cleaned = []
    for position, spec in enumerate(specs, start=1):
        alt = _alt(spec.alt_text)
        _check_described(alt_text=alt, decorative=spec.decorative, position=position)
        cleaned.append(
            AttachmentSpec(spec.asset_id, "" if spec.decorative else alt, spec.decorative)
        )
    return cleaned


def _check_described(*, alt_text: str, decorative: bool, position: int) -> None:
    if decorative and alt_text:
        raise ValidationError(
            _("Image %(n)d is marked decorative and also described: choose one.") % {"n": position},
            code="alt_and_decorative",
        )
    if not decorative and not alt_text:
        raise ValidationError(
            _(
                "Describe image %(n)d for people who cannot see it, or mark it decorative "
                "if it adds nothing to the text."
            )
            % {"n": position},
            code="alt_missing",
        )


def attachments_create(*, post: Post, specs: Sequence[AttachmentSpec]) -> list[PostAttachment]:
    """Write already validated images, in order, inside the caller's transaction."""
    return PostAttachment.objects.bulk_create(
        PostAttachment(
            post=post,
            asset_id=spec.asset_id,
            position=i,
            alt_text=spec.alt_text,
            decorative=spec.decorative,
        )
        for i, spec in enumerate(specs)
    )


@transaction.atomic
def attachment_alt_text_update(
    *, author: User, attachment_id: int, alt_text: str, decorative: bool = False
) -> PostAttachment:
    """Change an image's description or decorative mark (only the post's author may)."""
    attachment = PostAttachment.objects.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404("No such image.")
    # Someone who may not see the post gets the same 404 as for an image that does not exist.
    post = post_get_for_viewer(viewer_for(author), attachment.post_id)
    if post.author_id != author.pk:
        raise PermissionDenied(_("Only the author can describe this image."))
    alt = _alt(alt_text)
    _check_described(alt_text=alt, decorative=decorative, position=attachment.position + 1)
    attachment.alt_text = alt
    attachment.decorative = decorative
    attachment.save(update_fields=["alt_text", "decorative"])
    return attachment


# Held images stay (moderation evidence, restorable), and so do those still processing (the
# imaging sweep finishes or fails them first).
UNATTACHED_PURGEABLE = (MediaAsset.Status.READY, MediaAsset.Status.FAILED)
_PURGE_PAGE = 200


def unattached_uploads_purge(*, now: datetime | None = None, limit: int = 1000) -> int:
    """Delete post uploads never attached to a post within ``IMPASTO_UNATTACHED_UPLOAD_TTL``
    (24 hours by default), files and all (``imaging.services.assets_delete``); how many.

    An upload for a post (``purpose=post``) is only ever shown through a post, so one in no
    post is storage nobody sees: uploads an app made and then gave up on, the first images of
    a form refused at a later one, and the images of a post its author deleted (the delete
    erases the text at once and removes the attachments; the files follow here, the second
    phase of that delete). A moderator's removal keeps the attachments (the post can be
    restored). Anything else that uses an upload (imaging's uses hook: a project, an appeal,
    an open moderation case) keeps it too.
    """
    cutoff = (now or timezone.now()) - settings.IMPASTO_UNATTACHED_UPLOAD_TTL
    candidates = MediaAsset.objects.filter(
        purpose=Purpose.POST,
        status__in=UNATTACHED_PURGEABLE,
        created_at__lt=cutoff,
        post_attachments__isnull=True,
    ).order_by("pk")
    # Paged by id past the ones kept, so that a page full of kept uploads (in a project, under
    # review) never stops the sweep from reaching the ones after them.
    deleted, after = 0, 0
    while deleted < limit:
        size = min(_PURGE_PAGE, limit - deleted)
        page = list(candidates.filter(pk__gt=after).values_list("pk", flat=True)[:size])
        if not page:
            break
        after = page[-1]
        # Checked again under lock through imaging's uses hook: a project, an appeal or an open
        # moderation case that uses one keeps it, as does a post attaching it meanwhile.
        deleted += assets_delete_unused(asset_ids=page)
    return deleted
