from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from impasto.core.vocab import Discipline
from impasto.search.selectors import registered_facets, registered_kinds

CORE_KIND_CHOICES = [
    ("all", _("Everything")),
    ("people", _("People")),
    ("posts", _("Posts")),
    ("tags", _("Tags")),
]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    type = forms.ChoiceField(label=_("Show"), choices=CORE_KIND_CHOICES, required=False)
    field = forms.ChoiceField(
        label=_("Field"), choices=[("", _("Any field")), *Discipline.choices], required=False
    )
    open_to_work = forms.BooleanField(label=_("Open to work"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Kinds and filters other apps registered (projects; medium, software).
        kinds = self.fields["type"]
        assert isinstance(kinds, forms.ChoiceField)
        kinds.choices = [
            *CORE_KIND_CHOICES[:2],
            *registered_kinds().items(),
            *CORE_KIND_CHOICES[2:],
        ]
        for facet in registered_facets().values():
            self.fields[facet.name] = forms.ChoiceField(
                label=facet.label,
                choices=[("", _("Any")), *facet.choices],
                required=False,
            )

    def facet_fields(self) -> list[forms.BoundField]:
        """The registered filters, in registration order (for the template)."""
        return [self[name] for name in registered_facets()]
