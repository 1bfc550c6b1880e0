"""Accounts and profiles as the API shows them. Email only ever appears in :class:`MeOut`."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.conf import settings
from django.db.models import Field as Field_
from ninja import Schema
from pydantic import ConfigDict, Field, StrictBool

from impasto.accounts.models import Profile, User
from impasto.accounts.selectors import picture_url
from impasto.accounts.services.profiles import MAX_LINKS
from impasto.api.auth import Principal
from impasto.api.schemas.common import SnowflakeId, Text
from impasto.core.text import render_markdown
from impasto.core.vocab import Discipline


def _max_length(model: type[User] | type[Profile], name: str) -> int:
    field = model._meta.get_field(name)
    assert isinstance(field, Field_)
    assert field.max_length is not None
    return field.max_length


def absolute_url(path: str) -> str:
    """Apps need absolute addresses: the site's public URL and the path."""
    return f"{settings.SITE_URL}{path}"


class DisciplineOut(Schema):
    value: Discipline
    label: str


class ProfileDetailsOut(Schema):
    """What an artist's profile shows, besides the handle and name."""

    kind: Profile.Kind
    bio: str = Field(description="As written (light markdown).")
    bio_html: str = Field(description="The bio rendered to sanitised HTML.")
    location: str
    links: list[str]
    disciplines: list[DisciplineOut]
    open_to_work: bool
    open_for_commissions: bool
    avatar_url: str | None
    banner_url: str | None

    @staticmethod
    def resolve_bio_html(obj: Profile) -> str:
        return str(render_markdown(obj.bio))

    @staticmethod
    def resolve_disciplines(obj: Profile) -> list[dict[str, str]]:
        return [
            {"value": item.discipline, "label": str(item.get_discipline_display())}
            for item in sorted(obj.disciplines.all(), key=lambda item: item.discipline)
        ]

    @staticmethod
    def resolve_avatar_url(obj: Profile) -> str | None:
        url = picture_url(user=obj.user, field="avatar")
        return absolute_url(url) if url else None

    @staticmethod
    def resolve_banner_url(obj: Profile) -> str | None:
        url = picture_url(user=obj.user, field="banner")
        return absolute_url(url) if url else None


class PublicProfileOut(Schema):
    """An account as anyone sees it. Never the email address."""

    handle: str
    display_name: str
    joined_at: datetime
    profile: ProfileDetailsOut

    @staticmethod
    def resolve_joined_at(obj: User) -> datetime:
        return obj.date_joined


class AuthOut(Schema):
    method: Literal["token", "session"]
    scope: Literal["read", "write"]
    token_id: SnowflakeId | None = Field(description="The token in use, when method is token.")
    token_expires_at: datetime | None


class MeOut(Schema):
    """The caller's own account."""

    handle: str
    display_name: str
    email: str
    joined_at: datetime
    profile: ProfileDetailsOut
    auth: AuthOut

    @classmethod
    def of(cls, user: User, caller: Principal) -> MeOut:
        token = caller.token
        return cls.model_validate(
            {
                "handle": user.handle,
                "display_name": user.display_name,
                "email": user.email,
                "joined_at": user.date_joined,
                "profile": user.profile,
                "auth": {
                    "method": "token" if token is not None else "session",
                    "scope": "write" if caller.can_write else "read",
                    "token_id": token.pk if token is not None else None,
                    "token_expires_at": token.expires_at if token is not None else None,
                },
            }
        )


class ProfileUpdateIn(Schema):
    """The profile fields to change. Fields left out (or null) stay as they are."""

    model_config = ConfigDict(extra="forbid")

    display_name: Annotated[Text, Field(max_length=_max_length(User, "display_name"))] | None = None
    bio: Annotated[Text, Field(max_length=_max_length(Profile, "bio"))] | None = None
    location: Annotated[Text, Field(max_length=_max_length(Profile, "location"))] | None = None
    links: Annotated[list[Text], Field(max_length=MAX_LINKS)] | None = Field(
        default=None, description="http(s) addresses; the whole list replaces the old one."
    )
    kind: Profile.Kind | None = None
    # Strict: JSON true/false only, not 0, 1 or "yes" (pydantic's lax mode would take those).
    open_to_work: StrictBool | None = None
    open_for_commissions: StrictBool | None = None
    disciplines: Annotated[list[Discipline], Field(max_length=len(Discipline))] | None = Field(
        default=None, description="The whole set replaces the old one."
    )
