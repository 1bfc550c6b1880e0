"""The forms of the social pages. They check shape and length so people see a message beside the
field; the services check everything again (and more: mentions, quotes, policies)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from impasto.social.models import PostAttachment
from impasto.social.models.attachments import ALT_TEXT_MAX_LENGTH, MAX_ATTACHMENTS
from impasto.social.models.messages import MESSAGE_MAX_LENGTH
from impasto.social.models.posts import BODY_MAX_LENGTH, CONTENT_WARNING_MAX_LENGTH
from impasto.social.models.settings import MessagePolicy
from impasto.social.visibility import POST_VISIBILITIES, Visibility


def _body_field(label: Any, max_length: int, *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        strip=True,
        widget=forms.Textarea(
            attrs={"rows": 4, "maxlength": max_length, "data-char-count": max_length}
        ),
        error_messages={
            "required": _("Write something first."),
            "max_length": _("Keep it to %(limit_value)d characters (it has %(show_value)d)."),
        },
    )


# What the file picker offers (imaging sniffs the bytes; this only filters the dialog).
IMAGE_TYPES = "image/jpeg,image/png,image/gif,image/webp,image/avif,image/heic,.heic"


class PostForm(forms.Form):
    body = _body_field(_("Post"), BODY_MAX_LENGTH)
    content_warning = forms.CharField(
        label=_("Content warning"),
        max_length=CONTENT_WARNING_MAX_LENGTH,
        required=False,
        help_text=_("Hides the post behind this short note until the reader opens it."),
        error_messages={
            "max_length": _(
                "Keep the warning to %(limit_value)d characters (it has %(show_value)d)."
            )
        },
    )
    visibility = forms.ChoiceField(
        label=_("Who can see it"),
        choices=[(v.value, v.label) for v in POST_VISIBILITIES],
        initial=Visibility.PUBLIC,
        help_text=_(
            "Unlisted: anyone with the link, never on tag pages. Followers only: it cannot be "
            "reposted or quoted."
        ),
        error_messages={
            "invalid_choice": _("Choose who can see the post: public, followers only or unlisted.")
        },
    )
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    quote_of = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    # Which upload attempt this is: a resubmitted form reuses what was already uploaded.
    upload_key = forms.CharField(
        required=False, max_length=64, widget=forms.HiddenInput, strip=True
    )

    def __init__(self, *args: Any, with_images: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = _(
            "Up to 5,000 characters. **Bold**, *italics*, links, @handles and #hashtags work."
        )
        self.with_images = with_images
        if not with_images:
            return
        # A post may be images alone: the service says "write something or add an image".
        self.fields["body"].required = False
        for n in range(MAX_ATTACHMENTS):
            self.fields[f"image_{n}"] = forms.FileField(
                label=_("File"),
                required=False,
                widget=forms.FileInput(attrs={"accept": IMAGE_TYPES}),
            )
            self.fields[f"alt_{n}"] = forms.CharField(
                label=_("Description (alt text)"),
                required=False,
                max_length=ALT_TEXT_MAX_LENGTH,
                strip=True,
                widget=forms.Textarea(attrs={"rows": 2, "maxlength": ALT_TEXT_MAX_LENGTH}),
                help_text=_("What the image shows, for people who cannot see it."),
            )
            self.fields[f"decorative_{n}"] = forms.BooleanField(
                label=_("Decorative: it adds nothing to the text"), required=False
            )

    def image_slots(self) -> list[ImageSlot]:
        """The image fields, slot by slot, for the template."""
        if not self.with_images:
            return []
        return [
            ImageSlot(
                number=n + 1,
                file=self[f"image_{n}"],
                alt=self[f"alt_{n}"],
                decorative=self[f"decorative_{n}"],
            )
            for n in range(MAX_ATTACHMENTS)
        ]

    def more_images_open(self) -> bool:
        """Whether the "more images" disclosure starts open (a later slot has an error)."""
        return any(
            self[f"{name}_{n}"].errors
            for n in range(1, MAX_ATTACHMENTS)
            for name in ("image", "alt", "decorative")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        images: list[ChosenImage] = []
        if not self.with_images:
            data["images"] = images
            return data
        for n in range(MAX_ATTACHMENTS):
            upload = data.get(f"image_{n}")
            alt = data.get(f"alt_{n}", "")
            decorative = bool(data.get(f"decorative_{n}"))
            if not upload:
                if alt or decorative:
                    self.add_error(f"image_{n}", _("Choose the image this description is for."))
                continue
            if decorative and alt:
                self.add_error(
                    f"alt_{n}", _("Either describe the image or mark it decorative, not both.")
                )
            elif not decorative and not alt:
                self.add_error(
                    f"alt_{n}",
                    _(
                        "Describe the image for people who cannot see it, or mark it "
                        "decorative if it adds nothing to the text."
                    ),
                )
            images.append(ChosenImage(slot=n, file=upload, alt_text=alt, decorative=decorative))
        if not data.get("body") and not images and "body" not in self.errors:
            self.add_error("body", _("Write something or add an image."))
        data["images"] = images
        return data


@dataclass(frozen=True)
class ImageSlot:
    number: int
    file: forms.BoundField
    alt: forms.BoundField
    decorative: forms.BoundField


@dataclass(frozen=True)
class ChosenImage:
    slot: int
    file: UploadedFile
    alt_text: str
    decorative: bool


class PostEditForm(forms.Form):
    """The text, the content warning, and each image's description (the images stay)."""

    body = _body_field(_("Post"), BODY_MAX_LENGTH)
    content_warning = PostForm.base_fields["content_warning"]

    def __init__(
        self, *args: Any, attachments: Sequence[PostAttachment] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.attachments = list(attachments)
        if self.attachments:
            self.fields["body"].required = False  # the images are enough
        for attachment in self.attachments:
            self.fields[f"alt_{attachment.pk}"] = forms.CharField(
                label=_("Description (alt text)"),
                required=False,
                max_length=ALT_TEXT_MAX_LENGTH,
                strip=True,
                initial=attachment.alt_text,
                widget=forms.Textarea(attrs={"rows": 2, "maxlength": ALT_TEXT_MAX_LENGTH}),
            )
            self.fields[f"decorative_{attachment.pk}"] = forms.BooleanField(
                label=_("Decorative: it adds nothing to the text"),
                required=False,
                initial=attachment.decorative,
            )

    def image_rows(self) -> list[tuple[PostAttachment, forms.BoundField, forms.BoundField]]:
        return [(a, self[f"alt_{a.pk}"], self[f"decorative_{a.pk}"]) for a in self.attachments]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        changes: list[tuple[PostAttachment, str, bool]] = []
        for attachment in self.attachments:
            alt = data.get(f"alt_{attachment.pk}", "")
            decorative = bool(data.get(f"decorative_{attachment.pk}"))
            if decorative and alt:
                self.add_error(
                    f"alt_{attachment.pk}",
                    _("Either describe the image or mark it decorative, not both."),
                )
            elif not decorative and not alt:
                self.add_error(
                    f"alt_{attachment.pk}",
                    _(
                        "Describe the image for people who cannot see it, or mark it "
                        "decorative if it adds nothing to the text."
                    ),
                )
            elif (alt, decorative) != (attachment.alt_text, attachment.decorative):
                changes.append((attachment, alt, decorative))
        data["image_changes"] = changes
        return data


class MessageForm(forms.Form):
    body = _body_field(_("Message"), MESSAGE_MAX_LENGTH)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.attrs["rows"] = 2


class SocialSettingsForm(forms.Form):
    locked = forms.BooleanField(
        label=_("Approve new followers"),
        required=False,
        help_text=_(
            "People ask to follow you and wait until you accept. Turning this off accepts "
            "everyone who is waiting."
        ),
    )
    message_policy = forms.ChoiceField(
        label=_("Who may send you messages"),
        choices=MessagePolicy.choices,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _(
                "Choose who may message you: everyone, people you follow, or nobody."
            )
        },
    )
    allow_quotes = forms.BooleanField(
        label=_("Allow quote posts"),
        required=False,
        help_text=_("Others may share your public posts with their own words above them."),
    )
    digest_daily = forms.BooleanField(
        label=_("Daily email digest"),
        required=False,
        help_text=_("Once a day, an email with the notifications you have not seen."),
    )
