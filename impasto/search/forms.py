from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from impasto.core.vocab import Discipline

KINDS = [
    ("all", _("Everything")),
    ("people", _("People")),
    ("posts", _("Posts")),
    ("tags", _("Tags")),
]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    type = forms.ChoiceField(label=_("Show"), choices=KINDS, required=False)
    field = forms.ChoiceField(
        label=_("Field"), choices=[("", _("Any field")), *Discipline.choices], required=False
    )
    open_to_work = forms.BooleanField(label=_("Open to work"), required=False)
