"""The artist's choices: a work's cloak level, and "I already cloaked this image" on upload."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from impasto.protection.cloaking.levels import BUDGETS, CloakLevel

#: What each level means to an artist (shown under each choice).
LEVEL_HELP = {
    CloakLevel.OFF: _("Your pictures are shown exactly as the pipeline makes them."),
    CloakLevel.LOW: _("Very hard to see. The weakest effect on AI models."),
    CloakLevel.DEFAULT: _("Hard to see on detailed work; faint grain on flat colour."),
    CloakLevel.HIGH: _("Visible grain up close, mostly on flat colour. The strongest effect."),
}


class CloakLevelForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Cloak level"),
        choices=CloakLevel.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a cloak level."),
            "invalid_choice": _("Choose one of the cloak levels shown."),
        },
    )

    def __init__(self, *args: Any, available: bool = True, reason: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.available = available
        self.reason = reason

    def clean_level(self) -> str:
        level: str = self.cleaned_data["level"]
        if level != CloakLevel.OFF and not self.available:
            raise forms.ValidationError(
                _("Cloaking is not available on this server: %(reason)s"),
                params={"reason": self.reason},
                code="unavailable",
            )
        return level

    def choices_with_help(self) -> list[dict[str, Any]]:
        """Each radio with its help text and budget, for the template."""
        out = []
        for widget in self["level"]:
            value = widget.data["value"]
            budget = BUDGETS.get(value)
            out.append(
                {
                    "widget": widget,
                    "value": value,
                    "help": LEVEL_HELP[CloakLevel(value)],
                    "budget": budget,
                    "disabled": value != CloakLevel.OFF and not self.available,
                }
            )
        return out


def self_cloaked_field() -> forms.BooleanField:
    """The upload form's checkbox for an image the artist cloaked before uploading."""
    return forms.BooleanField(
        required=False,
        label=_("I already cloaked this image (Glaze, Mist or similar)"),
        help_text=_(
            "We will keep your pixels: at the image's own width we serve them exactly, losslessly"
            " encoded and with no watermark drawn on them, and we add no cloak of our own."
        ),
    )
