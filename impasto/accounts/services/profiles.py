"""Every write to what others see of an artist: the profile text, fields and pictures."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from impasto.accounts import pictures
from impasto.accounts.models import Profile, ProfileDiscipline, User
from impasto.core.vocab import Discipline
from impasto.imaging import services as imaging_services
from impasto.imaging.acceptance import UploadRefused
from impasto.imaging.models import MediaAsset, MediaVariant, Purpose
from impasto.imaging.uses import AssetUse

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
# Avatars and banners go through the imaging pipeline (purpose avatar / banner): the upload is
# accepted here (header only, no pixels), decoded and cropped in the task worker's sandbox, and
# shown once ready (``profile_picture_ready``, on imaging's ``asset_ready`` signal). Until then
# the profile keeps its previous picture, or the initials when there was none.

# The variant a profile shows: this width, or the largest below it.
PICTURE_WIDTHS = {"avatar": 512, "banner": 1600}


def profile_set_avatar(*, user: User, upload: IO[bytes], size: int | None = None) -> MediaAsset:
    """Start replacing ``user``'s avatar with ``upload`` (a square crop, made by the pipeline).

    Raises ``ValidationError`` (and stores nothing) when the file is not an acceptable picture,
    and imaging's ``UploadRefused`` (status 429, with ``retry_after``) when ``user`` has sent too
    many uploads for now. The returned asset is ``processing``; the profile changes when it is
    ready.
    """
    return _upload_picture(user=user, upload=upload, size=size, purpose=Purpose.AVATAR)


def profile_set_banner(*, user: User, upload: IO[bytes], size: int | None = None) -> MediaAsset:
    """Start replacing ``user``'s banner with ``upload`` (a 3:1 crop, made by the pipeline)."""
    return _upload_picture(user=user, upload=upload, size=size, purpose=Purpose.BANNER)


def _upload_picture(*, user: User, upload: IO[bytes], size: int | None, purpose: str) -> MediaAsset:
    data = pictures.read_upload(upload, size=size)  # the 10 MB cap of profile pictures
    with tempfile.TemporaryDirectory(dir=settings.FILE_UPLOAD_TEMP_DIR) as folder:
        path = Path(folder) / "picture"
        path.write_bytes(data)
        try:
            asset, _created = imaging_services.asset_upload(owner=user, path=path, purpose=purpose)
        except UploadRefused as refusal:
            if refusal.status == 429:  # not the file's fault: too many uploads for now
                raise
            raise ValidationError(refusal.message, code=refusal.code) from None
    return asset


def profile_picture_ready(*, asset: MediaAsset) -> Profile | None:
    """Show a processed avatar or banner on its owner's profile (imaging's ``asset_ready``).

    Only the owner's latest upload for that purpose wins, so a slow earlier upload never
    replaces a newer one. The profile field holds the chosen variant's storage key (a WebP),
    served by the profile picture view as before: no extra query on any page.
    """
    field = {str(Purpose.AVATAR): "avatar", str(Purpose.BANNER): "banner"}.get(asset.purpose)
    if field is None:
        return None
    newer = MediaAsset.objects.filter(
        owner_id=asset.owner_id, purpose=asset.purpose, pk__gt=asset.pk
    )
    if newer.exists():
        return None
    webps = [
        v
        for v in asset.variants.all()
        if v.format == MediaVariant.Format.WEBP and v.kind == MediaVariant.Kind.DISPLAY
    ]
    if not webps:
        return None
    fitting = [v for v in webps if v.width <= PICTURE_WIDTHS[field]] or webps
    chosen = max(fitting, key=lambda v: v.width)
    with transaction.atomic():
        profile = Profile.objects.select_for_update().get(user_id=asset.owner_id)
        old = getattr(profile, field).name
        setattr(profile, field, chosen.key)
        profile.save(update_fields=[field, "updated_at"])
        _forget_legacy(old)
    return profile


def _forget_legacy(name: str) -> None:
    """Delete a picture stored by the old in-process path once the change commits.

    Imaging's variants (``v/...``) belong to their asset and stay.
    """
    if name and not name.startswith("v/"):
        transaction.on_commit(lambda: default_storage.delete(name))


def profile_remove_picture(*, user: User, field: str) -> Profile:
    """Remove ``user``'s avatar or banner (``field``)."""
    if field not in {"avatar", "banner"}:
        raise ValueError(field)
    with transaction.atomic():
        profile = Profile.objects.select_for_update().get(user=user)
        old = getattr(profile, field).name
        setattr(profile, field, "")
        profile.save(update_fields=[field, "updated_at"])
        _forget_legacy(old)
    return profile


def profile_picture_uses(asset: MediaAsset) -> list[AssetUse]:
    """The imaging uses hook: the avatar or banner a profile shows now (one of ``asset``'s
    variants). An earlier picture, replaced since, is in no use and can be deleted."""
    if asset.purpose not in (Purpose.AVATAR, Purpose.BANNER):
        return []
    shown = Profile.objects.filter(user_id=asset.owner_id).values_list("avatar", "banner").first()
    if shown is None:
        return []
    keys = {variant.key for variant in asset.variants.all()}
    url = reverse("accounts:settings-profile")
    avatar, banner = shown
    uses = []
    if avatar in keys:
        uses.append(AssetUse(label=gettext("Your avatar"), url=url))
    if banner in keys:
        uses.append(AssetUse(label=gettext("Your banner"), url=url))
    return uses
