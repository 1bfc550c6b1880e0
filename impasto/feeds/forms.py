"""The feed settings page and the inline filter bar of the feed pages."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from impasto.core.vocab import Discipline
from impasto.feeds.models import MatureMode, PostKind

_SEPARATORS = re.compile(r"[\n,]+")
_TAG_SEPARATORS = re.compile(r"[\s,]+")


class InlineFiltersForm(forms.Form):
    """What the feed page lets the reader change without leaving it."""

    kind = forms.ChoiceField(label=_("Show"), choices=PostKind.choices)
    hide_reposts = forms.BooleanField(label=_("Hide reposts"), required=False)
    mature = forms.ChoiceField(label=_("Mature work"), choices=MatureMode.choices)
    # Only on For You's bar; left out elsewhere (None: unchanged).
    network_mix = forms.IntegerField(required=False, min_value=0, max_value=100)


class TagFollowForm(forms.Form):
    name = forms.CharField(label=_("Follow a tag"), max_length=101)


class FeedPreferencesForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Show"),
        choices=PostKind.choices,
        widget=forms.RadioSelect,
        help_text=_("A work is a post with images."),
    )
    hide_reposts = forms.BooleanField(
        label=_("Hide reposts"),
        required=False,
        help_text=_("Only what people wrote or made themselves."),
    )
    mature = forms.ChoiceField(
        label=_("Mature work"),
        choices=MatureMode.choices,
        widget=forms.RadioSelect,
        help_text=_("Posts with a content warning count as mature work."),
    )
    muted_words = forms.CharField(
        label=_("Muted words"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line or separated by commas. Posts saying them (in the text, a content "
            "warning, an image description or a tag) stay out of your feeds."
        ),
    )
    muted_tags = forms.CharField(
        label=_("Muted tags"),
        required=False,
        help_text=_("Separated by spaces or commas, with or without #."),
    )
    included_fields = forms.MultipleChoiceField(
        label=_("Fields to include"),
        required=False,
        choices=Discipline.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every field."),
    )
    network_mix = forms.IntegerField(
        label=_("For You: your network or the wider site"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"type": "range", "step": 10}),
        help_text=_("Left: people and tags you follow. Right: the best of the whole site."),
    )

    def clean_muted_words(self) -> list[str]:
        raw: str = self.cleaned_data.get("muted_words") or ""
        return [w.strip() for w in _SEPARATORS.split(raw) if w.strip()]

    def clean_muted_tags(self) -> list[str]:
        raw: str = self.cleaned_data.get("muted_tags") or ""
        return [t.strip() for t in _TAG_SEPARATORS.split(raw) if t.strip()]

    def preferences(self) -> dict[str, Any]:
        """The cleaned data as ``feed_preferences_update`` takes it."""
        data = dict(self.cleaned_data)
        data["fields"] = data.pop("included_fields")
        return data

    @staticmethod
    def initial_from(prefs: Any) -> dict[str, Any]:
        return {
            "kind": prefs.kind,
            "hide_reposts": prefs.hide_reposts,
            "mature": prefs.mature,
            "muted_words": "\n".join(prefs.muted_words),
            "muted_tags": " ".join(f"#{t}" for t in prefs.muted_tags),
            "included_fields": list(prefs.fields),
            "network_mix": prefs.network_mix,
        }
