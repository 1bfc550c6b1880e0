"""The forms of the social pages. They check shape and length so people see a message beside the
field; the services check everything again (and more: mentions, quotes, policies)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = _(
            "Up to 5,000 characters. **Bold**, *italics*, links, @handles and #hashtags work."
        )


class PostEditForm(forms.Form):
    body = _body_field(_("Post"), BODY_MAX_LENGTH)
    content_warning = PostForm.base_fields["content_warning"]


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
