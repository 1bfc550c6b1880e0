from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from impasto.moderation.models import (
    NOTE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    RemovalCategory,
    ReportReason,
)


class ReviewRequestForm(forms.Form):
    note = forms.CharField(
        label=_("How did you make it?"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Your tools, your process, where the metadata may come from."),
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong?"), choices=ReportReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Anything the moderators should know"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For stolen art, a link to the original helps."),
    )


ACTION_CHOICES = [
    ("clear", _("Clear: it follows the rules")),
    ("remove", _("Remove the work")),
    ("label_mature", _("Label as mature")),
    ("warn", _("Warn the artist")),
    ("suspend", _("Suspend the account")),
    ("ban", _("Ban the account")),
]


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Decision"), choices=ACTION_CHOICES, widget=forms.RadioSelect
    )
    category = forms.ChoiceField(
        label=_("Removed as"),
        choices=[("", "—"), *RemovalCategory.choices],
        required=False,
        help_text=_("AI-generated and stolen removals block re-uploads of the same picture."),
    )
    days = forms.IntegerField(
        label=_("Suspension (days)"), min_value=1, max_value=365, required=False
    )
    reason = forms.CharField(
        label=_("Reason (the artist reads this)"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the artist reads this)"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AppealDecisionForm(ReasonForm):
    upheld = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Uphold: reverse the decision")), ("0", _("Deny: the decision stands"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class AppealForm(forms.Form):
    statement = forms.CharField(
        label=_("Why is the decision wrong?"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Tell the moderators how you made the work."),
    )
    process_files = MultipleFileField(
        label=_("Process files (optional)"),
        required=False,
        help_text=_(
            "Sketches, layers, timelapse screenshots: up to 5 images. Only you and the "
            "moderators can see them."
        ),
    )
