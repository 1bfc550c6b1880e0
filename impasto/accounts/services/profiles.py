"""Every write to what others see of an artist: the profile text, fields and pictures."""

from __future__ import annotations

import secrets
from typing import IO
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from impasto.accounts import pictures
from impasto.accounts.models import Profile, ProfileDiscipline, User
from impasto.core.vocab import Discipline

MAX_LINKS = 5
MAX_LINK_LENGTH = 200


def _invalid_link(link: str) -> ValidationError:
    return ValidationError(
        _("“%(link)s” is not a web address we can link to.") % {"link": link[:80]},
        code="invalid_link",
    )


def normalize_link(link: str) -> str:
    """A web address written out in full: scheme, lowercase host (IDN as punycode), path.

    Shown as it is stored, so the text of a link can never hide where it goes (Mastodon's
    CVE-2023-36462). Addresses with a user name (``https://bank.example@evil.example``) are
    refused, since that is how such links mislead.
    """
    value = link.strip()
    if "://" not in value:
        value = f"https://{value}"
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        raise _invalid_link(link) from None
    if parts.username is not None or parts.password is not None:
        raise ValidationError(
            _("A link cannot contain a user name or password: “%(link)s”.") % {"link": link[:80]},
            code="link_userinfo",
        )
    host = parts.hostname or ""
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise _invalid_link(link) from None
    netloc = ascii_host if port is None else f"{ascii_host}:{port}"
    normalized = urlunsplit((parts.scheme.lower(), netloc, parts.path, parts.query, parts.fragment))
    if len(normalized) > MAX_LINK_LENGTH:
        raise ValidationError(
            _("A link can be at most %(count)d characters.") % {"count": MAX_LINK_LENGTH},
            code="link_too_long",
        )
    try:
        URLValidator(schemes=["http", "https"])(normalized)
    except ValidationError:
        raise _invalid_link(link) from None
    return normalized


def _clean_links(links: list[str]) -> list[str]:
    cleaned: list[str] = []
    for link in links:
        if not link.strip():
            continue
        normalized = normalize_link(link)
        if normalized not in cleaned:
            cleaned.append(normalized)
    if len(cleaned) > MAX_LINKS:
        raise ValidationError(
            _("At most %(count)d links.") % {"count": MAX_LINKS}, code="too_many_links"
        )
    return cleaned


@transaction.atomic
def profile_update(
    *,
    user: User,
    display_name: str | None = None,
    bio: str | None = None,
    location: str | None = None,
    links: list[str] | None = None,
    kind: str | None = None,
    open_to_work: bool | None = None,
    open_for_commissions: bool | None = None,
    disciplines: list[str] | None = None,
) -> Profile:
    """Change what others see of ``user``. Arguments left as None are not changed.

    Raises ``ValidationError`` (nothing saved) when a value is not acceptable; its
    ``error_dict`` names the fields when the problem belongs to one.
    """
    profile = Profile.objects.select_for_update().get(user=user)
    if display_name is not None:
        user.display_name = display_name.strip()
        user.full_clean(exclude=["password"])
        user.save(update_fields=["display_name"])
    if bio is not None:
        profile.bio = bio.strip()
    if location is not None:
        profile.location = location.strip()
    if links is not None:
        try:
            profile.links = _clean_links(links)
        except ValidationError as error:
            raise ValidationError({"links": error.error_list}) from None
    if kind is not None:
        profile.kind = kind
    if open_to_work is not None:
        profile.open_to_work = open_to_work
    if open_for_commissions is not None:
        profile.open_for_commissions = open_for_commissions
    profile.full_clean(exclude=["user", "avatar", "banner"])
    profile.save()
    if disciplines is not None:
        unknown = set(disciplines) - set(Discipline.values)
        if unknown:
            raise ValidationError(
                {
                    "disciplines": ValidationError(
                        _("Unknown field: %(names)s") % {"names": ", ".join(sorted(unknown))},
                        code="unknown_discipline",
                    )
                }
            )
        wanted = set(disciplines)
        ProfileDiscipline.objects.filter(profile=profile).exclude(discipline__in=wanted).delete()
        existing = set(
            ProfileDiscipline.objects.filter(profile=profile).values_list("discipline", flat=True)
        )
        ProfileDiscipline.objects.bulk_create(
            ProfileDiscipline(profile=profile, discipline=name)
            for name in sorted(wanted - existing)
        )
    return profile


# --- pictures --------------------------------------------------------------------------------
# The only two entry points for profile pictures: when the imaging pipeline takes over, it
# replaces what happens inside these, and nothing else changes.


def profile_set_avatar(*, user: User, upload: IO[bytes], size: int | None = None) -> Profile:
    """Replace ``user``'s avatar with ``upload``, cropped to a 400x400 square.

    Raises ``ValidationError`` (and stores nothing) when the file is not an acceptable picture.
    """
    data = pictures.render_webp(pictures.read_upload(upload, size=size), pictures.AVATAR)
    return _store_picture(user=user, field="avatar", data=data)


def profile_set_banner(*, user: User, upload: IO[bytes], size: int | None = None) -> Profile:
    """Replace ``user``'s banner with ``upload``, cropped to 1500x500.

    Raises ``ValidationError`` (and stores nothing) when the file is not an acceptable picture.
    """
    data = pictures.render_webp(pictures.read_upload(upload, size=size), pictures.BANNER)
    return _store_picture(user=user, field="banner", data=data)


def profile_remove_picture(*, user: User, field: str) -> Profile:
    """Remove ``user``'s avatar or banner (``field``); the file goes once the change commits."""
    if field not in {"avatar", "banner"}:
        raise ValueError(field)
    with transaction.atomic():
        profile = Profile.objects.select_for_update().get(user=user)
        old = getattr(profile, field).name
        setattr(profile, field, "")
        profile.save(update_fields=[field, "updated_at"])
        if old:
            transaction.on_commit(lambda: default_storage.delete(old))
    return profile


def _store_picture(*, user: User, field: str, data: bytes) -> Profile:
    # A random key, never the uploader's file name: nothing in the request chooses a path.
    name = default_storage.save(f"{field}s/{secrets.token_urlsafe(18)}.webp", ContentFile(data))
    try:
        with transaction.atomic():
            profile = Profile.objects.select_for_update().get(user=user)
            old = getattr(profile, field).name
            setattr(profile, field, name)
            profile.save(update_fields=[field, "updated_at"])
            # The old picture stays until the new one is committed: a crash never leaves the
            # profile pointing at nothing.
            if old:
                transaction.on_commit(lambda: default_storage.delete(old))
    except BaseException:
        default_storage.delete(name)
        raise
    return profile
