from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from impasto.art.models import Project
from impasto.art.vocab import FIELD_CHOICES, Layout, Medium, Software
from impasto.imaging.models import SourceType
from impasto.protection.cloaking.forms import self_cloaked_field
from impasto.protection.cloaking.levels import CloakLevel
from impasto.social.visibility import Visibility


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Light markdown: *emphasis*, **bold**, links, lists."),
    )
    work_fields = forms.MultipleChoiceField(
        label=_("Fields"),
        choices=FIELD_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    mediums = forms.MultipleChoiceField(
        label=_("Mediums"),
        choices=Medium.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    software = forms.MultipleChoiceField(
        label=_("Software"),
        choices=Software.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tags = forms.CharField(
        label=_("Tags"),
        max_length=700,
        required=False,
        help_text=_("Separated by commas, e.g. portrait, moody, study."),
    )
    mature = forms.BooleanField(
        label=_("Mature content (shown blurred until the reader chooses to see it)"),
        required=False,
    )
    visibility = forms.ChoiceField(
        label=_("Who can see it"), choices=Visibility.choices, initial=Visibility.DRAFT
    )
    no_ai_declared = forms.BooleanField(
        label=_("I made this work myself; no generative AI was used."), required=True
    )

    @classmethod
    def for_project(cls, project: Project, **kwargs: Any) -> ProjectForm:
        initial = {
            "title": project.title,
            "description": project.description,
            "work_fields": project.fields,
            "mediums": project.mediums,
            "software": project.software,
            "tags": ", ".join(pt.tag.display_name for pt in project.project_tags.all()),
            "mature": project.mature,
            "visibility": project.visibility,
            "no_ai_declared": project.no_ai_declared,
        }
        return cls(initial=initial, **kwargs)

    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data["tags"].split(",") if t.strip()]


class ImageUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Image"), help_text=_("JPEG, PNG, WebP, GIF, AVIF or HEIC, up to 50 MB.")
    )
    alt_text = forms.CharField(
        label=_("Alt text"),
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Describe the picture for people who cannot see it."),
    )
    caption = forms.CharField(label=_("Caption (optional)"), max_length=500, required=False)
    source_type = forms.ChoiceField(
        label=_("How I made it"), choices=SourceType.choices, initial=SourceType.DIGITAL_CREATION
    )
    self_cloaked = self_cloaked_field()


class CloakForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Protection (cloak)"),
        choices=CloakLevel.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "A faint perturbation against AI training on every image of this project, new ones"
            " included, made in the background. Low is very hard to see; high shows grain on"
            " flat colour."
        ),
    )


class ImageEditForm(forms.Form):
    alt_text = forms.CharField(
        label=_("Alt text"), max_length=1500, widget=forms.Textarea(attrs={"rows": 2})
    )
    caption = forms.CharField(label=_("Caption"), max_length=500, required=False)


class LayoutForm(forms.Form):
    layout = forms.ChoiceField(label=_("Portfolio layout"), choices=Layout.choices)


class AlbumForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Light markdown."),
    )
