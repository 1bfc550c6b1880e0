from __future__ import annotations

from typing import Any

from allauth.account import forms as allauth_forms
from django import forms
from django.utils.translation import gettext_lazy as _

from impasto.accounts.models import Profile, User
from impasto.accounts.validators import normalize_handle
from impasto.core.vocab import Discipline

PICTURE_TYPES = "image/jpeg,image/png,image/gif,image/webp"


class LoginForm(allauth_forms.LoginForm):
    """allauth's log-in form, with a label people understand and ``@Handle`` accepted."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = _("Handle or email")
        login.widget.attrs.update({"placeholder": "", "autocomplete": "username"})
        self.fields["password"].widget.attrs["placeholder"] = ""
        if "remember" in self.fields:
            self.fields["remember"].label = _("Keep me logged in on this device")

    def clean_login(self) -> str:
        login = str(super().clean_login())
        # An email address keeps its case (allauth compares it case-insensitively); a handle
        # is normalised the way it is stored: "@Mira" is "mira".
        return login if "@" in login.lstrip("@") else normalize_handle(login)


class SignupForm(allauth_forms.SignupForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        handle = self.fields["username"]
        handle.label = _("Handle")
        handle.help_text = _(
            "Your page will be at /@handle: 2 to 30 lowercase letters, digits or underscores."
        )
        handle.widget.attrs.update(
            {"placeholder": "", "autocomplete": "username", "autocapitalize": "none"}
        )
        self.fields["email"].widget.attrs["placeholder"] = ""
        password = self.fields["password1"]
        password.widget.attrs["placeholder"] = ""
        password.help_text = _(
            "At least 10 characters. Not a common password, not only digits, and not too "
            "close to your handle or email."
        )
        self.fields["password2"].widget.attrs["placeholder"] = ""
        self.fields["password2"].label = _("Password (again)")


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=64,
        required=False,
        help_text=_("Shown above your handle. Leave empty to show your handle."),
    )
    kind = forms.ChoiceField(
        label=_("Account kind"),
        choices=Profile.Kind.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Portfolio: you publish your own work. Community: you are here to follow, "
            "collect and talk."
        ),
    )
    bio = forms.CharField(
        label=_("Bio"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Up to 2,000 characters. **Bold**, *italics* and links work."),
    )
    location = forms.CharField(label=_("Location"), max_length=100, required=False)
    links = forms.CharField(
        label=_("Links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "autocapitalize": "none", "spellcheck": "false"}),
        help_text=_("One web address per line, up to five."),
    )
    disciplines = forms.MultipleChoiceField(
        label=_("Fields"),
        choices=Discipline.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What you work in: people browsing a field find you there."),
    )
    open_to_work = forms.BooleanField(label=_("Open to work"), required=False)
    open_for_commissions = forms.BooleanField(label=_("Open for commissions"), required=False)

    @classmethod
    def initial_for(cls, user: User) -> dict[str, Any]:
        profile = user.profile
        return {
            "display_name": user.display_name,
            "kind": profile.kind,
            "bio": profile.bio,
            "location": profile.location,
            "links": "\n".join(profile.links),
            "disciplines": [item.discipline for item in profile.disciplines.all()],
            "open_to_work": profile.open_to_work,
            "open_for_commissions": profile.open_for_commissions,
        }

    def clean_links(self) -> list[str]:
        text: str = self.cleaned_data["links"]
        return [line.strip() for line in text.splitlines() if line.strip()]


class PictureForm(forms.Form):
    """One avatar or banner upload; the bytes are judged by the service, not here."""

    picture = forms.FileField(
        widget=forms.ClearableFileInput(attrs={"accept": PICTURE_TYPES}),
        error_messages={
            "required": _("Choose a picture to upload."),
            "empty": _("This file is empty."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["picture"].label = (
            _("New banner") if self.prefix == "banner" else _("New avatar")
        )


class DeleteAccountForm(forms.Form):
    confirm_handle = forms.CharField(
        label=_("Type your handle to confirm"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["confirm_handle"].help_text = _("Type @%(handle)s") % {"handle": user.handle}

    def clean_confirm_handle(self) -> str:
        value = normalize_handle(self.cleaned_data["confirm_handle"])
        if value != self.user.handle:
            raise forms.ValidationError(
                _("This is not your handle. Type @%(handle)s to confirm.")
                % {"handle": self.user.handle}
            )
        return value
