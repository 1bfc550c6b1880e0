"""Every write of the imaging app: accepting uploads, processing them, and their states."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import math
import secrets
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from impasto.accounts.models import User
from impasto.core.ids import snowflake
from impasto.core.states import transition
from impasto.imaging import works
from impasto.imaging.acceptance import ImageFacts, UploadRefused, inspect_file
from impasto.imaging.models import (
    EXTENSIONS,
    BlobPurge,
    MediaAsset,
    MediaVariant,
    OwnerWatermark,
    Purpose,
    SourceType,
)
from impasto.imaging.pipeline import derive, sandbox
from impasto.imaging.pipeline import inspect as inspect_job
from impasto.imaging.pipeline.rights import Credit, ensure_dev_chain
from impasto.imaging.screening import screen_original
from impasto.imaging.uses import AssetUse, asset_uses
from impasto.protection import ratelimit
from impasto.protection.cloaking import services as cloak_services
from impasto.protection.cloaking.levels import CloakLevel

logger = logging.getLogger(__name__)

ORIGINAL_EXTENSIONS = {"jpeg": "jpg", "png": "png", "gif": "gif", "webp": "webp",
                       "avif": "avif", "heic": "heic"}  # fmt: skip


def _private() -> Any:
    return storages["private"]


def _public() -> Any:
    return storages["default"]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- accepting ------------------------------------------------------------------------------


def _spend_upload_token(owner: User) -> None:
    decision = ratelimit.check(
        bucket="uploads", key=f"user:{owner.pk}", limit=ratelimit.configured_limit("uploads")
    )
    if decision.allowed:
        return
    seconds = int(decision.retry_after_header)
    minutes = math.ceil(seconds / 60)
    message = ngettext(
        "You have uploaded a lot in a short time. Try again in %(minutes)d minute.",
        "You have uploaded a lot in a short time. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
    raise UploadRefused("rate_limited", message, status=429, retry_after=seconds)


def asset_upload(
    *,
    owner: User,
    path: Path,
    purpose: str = Purpose.ARTWORK,
    source_type: str = SourceType.DIGITAL_CREATION,
    alt_text: str = "",
    idempotency_key: str = "",
    cloak_level: str = CloakLevel.OFF,
    self_cloaked: bool = False,
    rate_limited: bool = True,
) -> tuple[MediaAsset, bool]:
    """Accept the file at ``path`` for ``owner``: returns (asset, created).

    Raises :class:`UploadRefused` (nothing stored) when the file is not accepted. The
    original is in private storage before the row is committed; the processing task is
    enqueued after the commit. A retry with the same ``idempotency_key`` returns the asset
    the first attempt created.

    ``cloak_level`` is applied to the display variants once they exist; ``self_cloaked``
    (the artist cloaked the image before upload) keeps the upload's pixels instead
    (docs/cloaking.md).

    Each upload spends a token of the owner's ``uploads`` bucket (``settings.RATE_LIMITS``),
    refused files too (decoding is the costly part), a retry of a stored one not; past it,
    ``UploadRefused`` with status 429. ``rate_limited=False`` is for uploads the platform
    makes itself, never for a person's request.
    """
    if cloak_level not in CloakLevel.values:
        raise UploadRefused("bad_cloak_level", _("Choose one of the offered cloak levels."), 400)
    if self_cloaked:
        cloak_level = CloakLevel.OFF  # their own cloak is never cloaked over
    if purpose not in Purpose.values:
        raise UploadRefused("bad_purpose", _("Unknown image purpose."), status=400)
    if source_type not in SourceType.values:
        raise UploadRefused(
            "bad_source_type", _("Say how the work was made with one of the offered choices."),
            status=400,
        )  # fmt: skip
    key = idempotency_key.strip()[:128]
    if key:
        existing = MediaAsset.objects.filter(owner=owner, idempotency_key=key).first()
        if existing is not None:
            return existing, False
    if rate_limited:
        _spend_upload_token(owner)
    facts: ImageFacts = inspect_file(path)
    name = f"originals/{secrets.token_hex(16)}.{ORIGINAL_EXTENSIONS[facts.format]}"
    with path.open("rb") as handle:
        stored = _private().save(name, File(handle, name=name))
    try:
        with transaction.atomic():
            asset = MediaAsset.objects.create(
                owner=owner,
                purpose=purpose,
                source_type=source_type,
                alt_text=alt_text.strip()[:1500],
                idempotency_key=key,
                original_key=stored,
                original_sha256=_sha256(path),
                original_bytes=path.stat().st_size,
                source_format=facts.format,
                width=facts.width,
                height=facts.height,
                frames=facts.frames,
                cloak_level=cloak_level,
                self_cloaked=self_cloaked,
            )
            transaction.on_commit(lambda: _enqueue(asset.pk))
    except IntegrityError:
        _private().delete(stored)
        existing = MediaAsset.objects.filter(owner=owner, idempotency_key=key).first()
        if existing is None:
            raise
        return existing, False
    except BaseException:
        _private().delete(stored)  # a row without a blob is impossible; no blob without a row
        raise
    return asset, True


def _enqueue(asset_id: int) -> None:
    from impasto.imaging.tasks import asset_process_task

    asset_process_task.enqueue(asset_id)


# --- processing -----------------------------------------------------------------------------

FAILURE_MESSAGES = {
    "decode": _(
        "This image could not be decoded: the file is damaged. Export it again and "
        "upload the new file."
    ),
    "attempts": _(
        "We could not process this image. Try uploading it again; if it fails "
        "again, export it in another format."
    ),
}


def signing_chain() -> tuple[Path, Path]:
    """The C2PA certificate chain and key: from settings, or the development chain."""
    cert, key = settings.IMPASTO_C2PA_CERT_PATH, settings.IMPASTO_C2PA_KEY_PATH
    if cert and key:
        return Path(cert), Path(key)
    return ensure_dev_chain(Path(settings.IMPASTO_C2PA_DEV_DIR), organisation=settings.SITE_NAME)


def _limits() -> sandbox.Limits:
    return sandbox.Limits(
        memory_mb=settings.IMPASTO_IMAGING_JOB_MEMORY_MB,
        timeout_s=settings.IMPASTO_IMAGING_JOB_TIMEOUT_S,
    )


def profile_url(owner: User) -> str:
    return f"{settings.SITE_URL}/@{owner.handle}"


def credit_for(*, owner: User, asset_id: int, source_type: str) -> Credit:
    return Credit(
        artist_name=owner.name,
        artist_handle=owner.handle,
        profile_url=profile_url(owner),
        site_name=settings.SITE_NAME,
        site_url=settings.SITE_URL,
        source_type=source_type,
        asset_id=asset_id,
        year=timezone.now().year,
    )


def _visible_for(owner: User) -> derive.VisibleMark | None:
    mark = OwnerWatermark.objects.filter(owner=owner, enabled=True).first()
    if mark is None or not mark.text.strip():
        return None
    return derive.VisibleMark(text=mark.text, position=mark.position, opacity=mark.opacity)


def _job_spec(asset: MediaAsset, original: Path, out_dir: Path) -> derive.JobSpec:
    chain, key = signing_chain()
    return derive.JobSpec(
        original=str(original),
        format=asset.source_format,
        frames=asset.frames,
        out_dir=str(out_dir),
        purpose=asset.purpose,
        credit=credit_for(owner=asset.owner, asset_id=asset.pk, source_type=asset.source_type),
        watermark_key_hex=settings.IMPASTO_WATERMARK_KEY.hex(),
        chain_pem_path=str(chain),
        key_pem_path=str(key),
        avif_effort=settings.IMPASTO_IMAGING_AVIF_EFFORT,
        visible=_visible_for(asset.owner),
        keep_pixels=asset.self_cloaked,
    )


def asset_fail(*, asset: MediaAsset, reason: str, detail: str = "") -> bool:
    return transition(
        asset,
        to=MediaAsset.Status.FAILED,
        allowed=MediaAsset.TRANSITIONS,
        failure_reason=reason[:300],
        last_error=detail[:4000],
    )


def asset_process(*, asset_id: int) -> MediaAsset | None:
    """Decode, derive, stamp and store the variants of one asset; safe to run twice.

    A missing asset, or one no longer processing, is a successful no-op. The attempt is
    counted (and committed) before any work, so a job that kills its worker still counts.
    """
    asset = MediaAsset.objects.select_related("owner").filter(pk=asset_id).first()
    if asset is None or asset.status != MediaAsset.Status.PROCESSING:
        return asset
    if asset.attempts >= settings.IMPASTO_IMAGING_MAX_ATTEMPTS:
        asset_fail(asset=asset, reason=str(FAILURE_MESSAGES["attempts"]), detail=asset.last_error)
        return asset
    now = timezone.now()
    MediaAsset.objects.filter(pk=asset.pk).update(
        attempts=asset.attempts + 1, processing_started_at=now, updated_at=now
    )
    asset.attempts += 1

    work = Path(tempfile.mkdtemp(prefix="impasto-job-", dir=settings.FILE_UPLOAD_TEMP_DIR))
    try:
        original = work / f"original.{ORIGINAL_EXTENSIONS[asset.source_format]}"
        with _private().open(asset.original_key, "rb") as source, original.open("wb") as dest:
            shutil.copyfileobj(source, dest, 1 << 20)
        # Screened on the untouched original, before anything re-encodes it (AI detection).
        hold = screen_original(asset=asset, path=original)
        out_dir = work / "out"
        out_dir.mkdir()
        try:
            result = sandbox.run(_job_spec(asset, original, out_dir), _limits())
        except sandbox.JobFailed as failure:
            logger.warning("imaging job for %s failed: %s", asset.pk, failure.reason)
            if failure.permanent:
                asset_fail(
                    asset=asset, reason=str(FAILURE_MESSAGES["decode"]), detail=failure.reason
                )
            elif asset.attempts >= settings.IMPASTO_IMAGING_MAX_ATTEMPTS:
                asset_fail(
                    asset=asset, reason=str(FAILURE_MESSAGES["attempts"]), detail=failure.reason
                )
            else:
                MediaAsset.objects.filter(pk=asset.pk).update(last_error=failure.reason[:4000])
                _enqueue(asset.pk)  # try again; the sweep catches it if this enqueue is lost
            return asset
        variants = [_store_variant(asset, variant) for variant in result.variants]
        _publish(asset, result, variants, hold=hold)
        if asset.status == MediaAsset.Status.READY:
            _cloak_after_publish(asset, result)
        return asset
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _store_variant(asset: MediaAsset, variant: derive.VariantFile) -> MediaVariant:
    path = Path(variant.path)
    digest = _sha256(path)
    key = f"v/{digest[:2]}/{digest}.{EXTENSIONS[variant.format]}"
    storage = _public()
    if not storage.exists(key):  # content-addressed: the same bytes are the same file
        with path.open("rb") as handle:
            storage.save(key, File(handle, name=key))
    return MediaVariant(
        asset=asset,
        kind=variant.kind,
        format=variant.format,
        width=variant.width,
        height=variant.height,
        animated=variant.animated,
        sha256=digest,
        key=key,
        bytes=path.stat().st_size,
    )


def _publish(
    asset: MediaAsset, result: derive.JobResult, variants: list[MediaVariant], *, hold: bool
) -> None:
    """Make the variants visible and the asset ready (or held, when a screen held it), all at
    once, after every file is stored."""
    with transaction.atomic():
        locked = MediaAsset.objects.select_for_update().filter(pk=asset.pk).first()
        if locked is None or locked.status != MediaAsset.Status.PROCESSING:
            # Deleted meanwhile (or published by another run): the files just stored are
            # nobody's, unless a row names the same bytes.
            _purge_after_commit([(v.key, v.sha256) for v in variants])
            return
        old = set(locked.variants.values_list("key", "sha256"))
        locked.variants.all().delete()
        MediaVariant.objects.bulk_create(variants)
        transition(
            locked,
            to=MediaAsset.Status.HELD if hold else MediaAsset.Status.READY,
            allowed=MediaAsset.TRANSITIONS,
            blurhash=result.blurhash,
            dominant_color=result.dominant_color,
            phash=result.phash,
            pdq=result.pdq or "",
            pdq_quality=result.pdq_quality,
            failure_reason="",
        )
        _purge_after_commit(old - {(v.key, v.sha256) for v in variants})
        transaction.on_commit(lambda: _announce_ready(locked.pk))
    asset.status = locked.status


def _announce_ready(asset_id: int) -> None:
    from impasto.imaging.signals import asset_ready

    ready = MediaAsset.objects.select_related("owner").filter(pk=asset_id).first()
    if ready is not None and ready.status == MediaAsset.Status.READY:
        asset_ready.send(sender=MediaAsset, asset=ready)


def _cloak_after_publish(asset: MediaAsset, result: derive.JobResult) -> None:
    """Hand the fresh variants to cloaking: record the artist's own cloak, or queue ours."""
    if asset.frames > 1 or asset.purpose not in CLOAKABLE_PURPOSES:
        return
    work_id = works.work_of(asset_id=asset.pk)  # a project's id, or the image's own
    if asset.self_cloaked:
        cloak_services.cloak_keep_own(
            owner=asset.owner, work_id=work_id, asset_id=asset.pk, kept_width=result.kept_width
        )
        return
    with transaction.atomic():
        # Re-processed: the new variants are uncloaked, so a finished cloak is made again at
        # the level the job has (the artist may have changed it in the cloak panel since).
        if cloak_services.cloak_variants_replaced(asset_id=asset.pk) is None:
            cloak_services.cloak_request(
                owner=asset.owner, work_id=work_id, asset_ids=[asset.pk], level=asset.cloak_level
            )


CLOAKABLE_PURPOSES = frozenset({Purpose.ARTWORK, Purpose.POST})


@transaction.atomic
def asset_cloak_choose(
    *, owner: User, asset_ids: list[int], level: str, work_id: int | None = None
) -> list[MediaAsset]:
    """The artist's cloak level for these images of theirs: the service the art app calls.

    Remembered on each asset (so a re-processed image is cloaked again) and applied now to
    those that are ready; the others are cloaked when their variants are published. Images
    the artist cloaked before upload keep their own cloak. ``work_id`` groups the images of a
    project for the notice; by default each image is its own work. Others' images and
    avatars/banners are ignored."""
    if level not in CloakLevel.values:
        raise ValueError(f"unknown cloak level {level!r}")
    assets = list(
        MediaAsset.objects.select_for_update()
        .filter(pk__in=asset_ids, owner=owner, purpose__in=CLOAKABLE_PURPOSES, self_cloaked=False)
        .order_by("pk")
    )
    MediaAsset.objects.filter(pk__in=[a.pk for a in assets]).update(
        cloak_level=level, updated_at=timezone.now()
    )
    if work_id is not None:  # the images' jobs (the artist's own cloak too) join the work
        cloak_services.cloak_work_move(owner=owner, asset_ids=asset_ids, work_id=work_id)
    ready = [a.pk for a in assets if a.status == MediaAsset.Status.READY and a.frames == 1]
    if ready:
        if work_id is not None:
            cloak_services.cloak_request(owner=owner, work_id=work_id, asset_ids=ready, level=level)
        else:
            for asset_id in ready:
                cloak_services.cloak_request(
                    owner=owner, work_id=asset_id, asset_ids=[asset_id], level=level
                )
    for asset in assets:
        asset.cloak_level = level
    return assets


def asset_variants_rebuild(*, asset_id: int) -> bool:
    """Derive and publish the display variants again without hiding the asset meanwhile (the
    cloak turned off). Returns False when the asset is gone or not ready."""
    asset = MediaAsset.objects.select_related("owner").filter(pk=asset_id).first()
    if asset is None or asset.status != MediaAsset.Status.READY:
        return False
    work = Path(tempfile.mkdtemp(prefix="impasto-job-", dir=settings.FILE_UPLOAD_TEMP_DIR))
    try:
        original = work / f"original.{ORIGINAL_EXTENSIONS[asset.source_format]}"
        with _private().open(asset.original_key, "rb") as source, original.open("wb") as dest:
            shutil.copyfileobj(source, dest, 1 << 20)
        out_dir = work / "out"
        out_dir.mkdir()
        result = sandbox.run(_job_spec(asset, original, out_dir), _limits())
        variants = [_store_variant(asset, variant) for variant in result.variants]
        variants_replace(asset_id=asset.pk, variants=variants)
        return True
    finally:
        shutil.rmtree(work, ignore_errors=True)


def variants_replace(*, asset_id: int, variants: list[MediaVariant]) -> None:
    """Swap the stored files behind these variants (same asset, kind, format and width) in one
    transaction; files no longer used are deleted after the commit, and so are new files with
    no row to go to (the asset was deleted meanwhile)."""
    with transaction.atomic():
        current = {
            (v.kind, v.format, v.width): v
            for v in MediaVariant.objects.select_for_update().filter(asset_id=asset_id)
        }
        unused: set[tuple[str, str]] = set()
        for new in variants:
            row = current.get((new.kind, new.format, new.width))
            if row is None:
                unused.add((new.key, new.sha256))
                continue
            unused.add((row.key, row.sha256))
            MediaVariant.objects.filter(pk=row.pk).update(
                sha256=new.sha256, key=new.key, bytes=new.bytes, height=new.height
            )
        _purge_after_commit(unused)


def _purge_after_commit(files: Iterable[tuple[str, str]]) -> None:
    """Delete these public files (key, sha256) once the current transaction commits, unless a
    variant row names them then (:class:`BlobPurge`; a crash before the purge leaves it to the
    sweep)."""
    purges = [
        BlobPurge(storage=BlobPurge.Storage.PUBLIC, key=key, sha256=sha256) for key, sha256 in files
    ]
    if purges:
        BlobPurge.objects.bulk_create(purges, batch_size=1000, ignore_conflicts=True)
        transaction.on_commit(_enqueue_purge)


# --- deleting -------------------------------------------------------------------------------

_DELETE_CHUNK = 500  # assets per statement (SQLite's limit on a query's parameters)


def assets_delete(*, asset_ids: Iterable[int]) -> int:
    """Delete these assets with everything that points at them (variants, a post's or a
    project's use of them: the database cascade), then their files; the number deleted.

    Two phases (SECURITY-NOTES, "nothing lost"; docs/imaging.md, "Deleting"): in one
    transaction the rows go and a :class:`BlobPurge` row is written for each file (the
    original in the private storage, every variant in the public one); once that commits,
    ``blobs_purge_task`` deletes the files. So a file is never deleted while a row still names
    it, a rolled-back deletion deletes nothing, and a purge lost to a crash is done by the next
    sweep (``imaging_sweep``).
    """
    ids = sorted(set(asset_ids))
    deleted = 0
    with transaction.atomic():
        for start in range(0, len(ids), _DELETE_CHUNK):
            chunk = ids[start : start + _DELETE_CHUNK]
            originals = MediaAsset.objects.filter(pk__in=chunk).values_list(
                "original_key", flat=True
            )
            purges = [BlobPurge(storage=BlobPurge.Storage.PRIVATE, key=k) for k in originals if k]
            purges += [
                BlobPurge(storage=BlobPurge.Storage.PUBLIC, key=key, sha256=sha256)
                for key, sha256 in MediaVariant.objects.filter(asset_id__in=chunk).values_list(
                    "key", "sha256"
                )
            ]
            BlobPurge.objects.bulk_create(purges, batch_size=1000, ignore_conflicts=True)
            _count, by_model = MediaAsset.objects.filter(pk__in=chunk).delete()
            deleted += by_model.get(MediaAsset._meta.label, 0)
        if deleted:
            transaction.on_commit(_enqueue_purge)
    return deleted


_UNUSED_CHUNK = 100  # assets locked and checked per transaction (keeps the locks short)


def assets_delete_unused(*, asset_ids: Iterable[int]) -> int:
    """:func:`assets_delete` of those of ``asset_ids`` that nothing uses (the uses hook) and
    that are neither held for review nor processing; how many were deleted.

    For sweeps that pick candidates with a cheap query first: each candidate is locked and
    checked again in the deleting transaction, so something that started using it meanwhile
    (a post attaching it, committed first) keeps it, and one committing after waits for the
    lock and then fails on the missing row instead of losing the image silently.
    """
    ids = sorted(set(asset_ids))
    deleted = 0
    for start in range(0, len(ids), _UNUSED_CHUNK):
        with transaction.atomic():
            locked = MediaAsset.objects.select_for_update().filter(
                pk__in=ids[start : start + _UNUSED_CHUNK]
            )
            unused = [
                asset.pk
                for asset in locked.exclude(
                    status__in=(MediaAsset.Status.HELD, MediaAsset.Status.PROCESSING)
                )
                if not asset_uses(asset)
            ]
            deleted += assets_delete(asset_ids=unused)
    return deleted


class AssetInUse(Exception):
    """The upload is still shown somewhere: take it out there first (``uses`` says where)."""

    def __init__(self, uses: list[AssetUse]) -> None:
        super().__init__(_("This image is still in use: take it out of these first."))
        self.uses = uses


def asset_delete(*, owner: User, asset_id: int) -> bool:
    """Delete one of ``owner``'s uploads for good, its files with it (:func:`assets_delete`);
    False when ``owner`` has no upload by that id.

    Raises :class:`AssetInUse` while something shows or needs it (a project, a post, even one
    a moderator removed, the avatar on the profile, an appeal, an open moderation case: each
    app's own rules decide how it is taken out), and ``ValidationError`` while it is held for
    review (moderation evidence) or being processed (its job would write files for a deleted
    upload).
    """
    with transaction.atomic():
        asset = MediaAsset.objects.select_for_update().filter(pk=asset_id, owner=owner).first()
        if asset is None:
            return False
        uses = asset_uses(asset)
        if uses:
            raise AssetInUse(uses)
        if asset.status == MediaAsset.Status.HELD:
            raise ValidationError(
                _("This image is held for review: the moderators decide about it first."),
                code="held",
            )
        if asset.status == MediaAsset.Status.PROCESSING:
            raise ValidationError(
                _("This image is still being processed: delete it once it is ready."),
                code="processing",
            )
        assets_delete(asset_ids=[asset.pk])
    return True


def _enqueue_purge() -> None:
    from impasto.imaging.tasks import blobs_purge_task

    blobs_purge_task.enqueue()


PURGE_GIVE_UP_AFTER = 10  # failures in a row: the storage is down, the next sweep goes on


def blobs_purge(*, limit: int = 5000) -> int:
    """Delete the files of deleted assets (:class:`BlobPurge`), oldest first; how many purges
    were done.

    Safe to run twice and side by side: a file already gone is fine, and a variant's file that
    another variant names again (the same bytes) is kept. A file that cannot be deleted counts
    an attempt and goes to the back of the queue, so it never holds up the others; after
    ``PURGE_GIVE_UP_AFTER`` failures in a row (the storage is down) the rest waits for the next
    sweep. Original keys are 128 random bits, never named twice.
    """
    done = failures = 0
    for purge in BlobPurge.objects.order_by("attempts", "pk")[:limit]:
        named = (
            purge.storage == BlobPurge.Storage.PUBLIC
            and MediaVariant.objects.filter(sha256=purge.sha256, key=purge.key).exists()
        )
        if not named:
            try:
                storages[purge.storage].delete(purge.key)
            except Exception:
                logger.exception("Could not delete %s; a later sweep tries again", purge)
                BlobPurge.objects.filter(pk=purge.pk).update(attempts=F("attempts") + 1)
                failures += 1
                if failures >= PURGE_GIVE_UP_AFTER:
                    break
                continue
        failures = 0
        BlobPurge.objects.filter(pk=purge.pk).delete()
        done += 1
    return done


def asset_sweep(*, now: dt.datetime | None = None) -> list[int]:
    """Re-queue assets stuck in processing (a lost task, a killed worker); returns their ids."""
    now = now or timezone.now()
    before = now - dt.timedelta(seconds=settings.IMPASTO_IMAGING_STUCK_AFTER_S)
    requeued: list[int] = []
    for asset_id in MediaAsset.objects.stuck(before=before).values_list("pk", flat=True)[:500]:
        # Claim it (so the next sweep does not queue it again while it waits).
        claimed = (
            MediaAsset.objects.stuck(before=before)
            .filter(pk=asset_id)
            .update(processing_started_at=now)
        )
        if claimed:
            _enqueue(asset_id)
            requeued.append(asset_id)
    return requeued


def asset_reprocess(*, asset: MediaAsset) -> bool:
    """Derive the variants again (a failed asset retried by its owner, a new pipeline)."""
    changed = transition(
        asset,
        to=MediaAsset.Status.PROCESSING,
        allowed=MediaAsset.TRANSITIONS,
        attempts=0,
        processing_started_at=None,
        failure_reason="",
    )
    if changed:
        transaction.on_commit(lambda: _enqueue(asset.pk))
    return changed


def owner_watermark_update(
    *, owner: User, enabled: bool, text: str, position: str, opacity: int
) -> OwnerWatermark:
    if position not in OwnerWatermark.Position.values:
        raise UploadRefused("bad_position", _("Choose one of the offered positions."), 400)
    mark, _created = OwnerWatermark.objects.update_or_create(
        owner=owner,
        defaults={
            "enabled": enabled,
            "text": text.strip()[:80],
            "position": position,
            "opacity": max(5, min(int(opacity), 100)),
        },
    )
    return mark


# --- protect and verify (the commands and the owners' verify page) ---------------------------


@dataclass(frozen=True)
class Protected:
    identity: int
    width: int
    height: int
    format: str


def file_protect(*, source: Path, dest: Path, owner: User | None) -> Protected:
    """Write a protected display variant of ``source`` to ``dest`` (format from its suffix).

    Raises :class:`UploadRefused` (nothing written) with the upload's own message when the
    source would not be accepted as an upload.
    """
    facts = inspect_file(source)
    fmt = {".webp": "webp", ".avif": "avif"}.get(dest.suffix.lower(), "jpeg")
    identity = snowflake()
    work = Path(tempfile.mkdtemp(prefix="impasto-protect-"))
    try:
        chain, key = signing_chain()
        name = owner.name if owner else settings.SITE_NAME
        credit = Credit(
            artist_name=name,
            artist_handle=owner.handle if owner else "",
            profile_url=profile_url(owner) if owner else settings.SITE_URL,
            site_name=settings.SITE_NAME,
            site_url=settings.SITE_URL,
            source_type=SourceType.DIGITAL_CREATION,
            asset_id=identity,
            year=timezone.now().year,
        )
        spec = derive.JobSpec(
            original=str(source),
            format=facts.format,
            frames=1,  # a still display variant (the first frame of an animation)
            out_dir=str(work),
            purpose=Purpose.ARTWORK,
            credit=credit,
            watermark_key_hex=settings.IMPASTO_WATERMARK_KEY.hex(),
            chain_pem_path=str(chain),
            key_pem_path=str(key),
            avif_effort=settings.IMPASTO_IMAGING_AVIF_EFFORT,
            visible=_visible_for(owner) if owner else None,
        )
        try:
            result = sandbox.run(spec, _limits())
        except sandbox.JobFailed as failure:
            raise UploadRefused("damaged", str(FAILURE_MESSAGES["decode"])) from failure
        best = max((v for v in result.variants if v.format == fmt), key=lambda v: v.width)
        tmp = dest.with_name(f".{dest.name}.tmp")
        shutil.copyfile(best.path, tmp)
        tmp.replace(dest)
        return Protected(identity=identity, width=best.width, height=best.height, format=fmt)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def file_verify(*, path: Path) -> dict[str, Any]:
    """What ``path`` carries: watermark identity (and its asset), rights XMP, C2PA manifest.

    Raises :class:`UploadRefused` when the file is not an image we accept.
    """
    facts = inspect_file(path)
    work = Path(tempfile.mkdtemp(prefix="impasto-verify-"))
    try:
        spec = inspect_job.InspectSpec(
            path=str(path),
            format=facts.format,
            mime=facts.mime,
            watermark_key_hex=settings.IMPASTO_WATERMARK_KEY.hex(),
            out_dir=str(work),
        )
        try:
            report = sandbox.run_inspect(spec, _limits())
        except sandbox.JobFailed as failure:
            raise UploadRefused("damaged", str(FAILURE_MESSAGES["decode"])) from failure
    finally:
        shutil.rmtree(work, ignore_errors=True)
    from impasto.imaging.selectors import watermark_owner

    mark = report["watermark"]
    assert isinstance(mark, dict)
    if mark.get("asset_id"):
        mark.update(watermark_owner(asset_id=int(mark["asset_id"])))
    return report


@dataclass(frozen=True)
class CopyCheck:
    """The verify page's answer: the report, the owner's nearest works, the takedown text."""

    report: dict[str, Any]
    nearest: list[Any]  # selectors.NearWork
    summary: str


def copy_verify(*, owner: User, path: Path) -> CopyCheck:
    """Check a suspected copy for ``owner``: what the file carries and the nearest of their own
    works. Reads the file only (acceptance rules, then the sandbox); nothing is stored.

    Raises :class:`UploadRefused` when the file is not an image we accept."""
    from impasto.imaging import selectors, takedown

    report = file_verify(path=path)
    hashes = report.get("hashes") or {}
    nearest = selectors.nearest_own_works(
        owner=owner, phash=str(hashes.get("phash", "")), pdq=hashes.get("pdq")
    )
    text = takedown.summary(
        owner=owner,
        report=report,
        nearest=nearest,
        checked_sha256=_sha256(path),
        now=timezone.now(),
    )
    return CopyCheck(report=report, nearest=nearest, summary=text)
