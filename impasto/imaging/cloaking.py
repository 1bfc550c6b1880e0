"""The image pipeline's side of cloaking (``CloakPipeline``, docs/cloaking.md "Wiring").

Named in ``settings.CLOAKING["PIPELINE"]``. A work is one image (``work_id`` is the asset's
id) unless an app registered a lister in :mod:`impasto.imaging.works`: art does, so a
project's id lists its images. Art calls :func:`impasto.imaging.services.asset_cloak_choose`
with the project's id as ``work_id``.

- ``variants``: the stamped display pixels at every width, *uncloaked*: derived again from
  the original in the sandbox (``derive.JobSpec.raw``), so a new level never cloaks over an
  old cloak, and no lossy variant is decoded and re-encoded.
- ``store``: each width encoded in AVIF, WebP and JPEG with the keep-the-pixels settings
  (lossless WebP and AVIF, JPEG Q98 without chroma subsampling), with the rights XMP and a
  signed C2PA manifest like every variant; the files are stored first, then the asset's
  variant rows switch to them in one transaction.
- ``clear``: the variants derived again with the usual settings, switched the same way.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import numpy as np
import pyvips
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from impasto.imaging import services, works
from impasto.imaging.models import EXTENSIONS, MediaAsset, MediaVariant
from impasto.imaging.pipeline import derive, rights, sandbox
from impasto.protection.cloaking import preserve
from impasto.protection.cloaking.base import CloakError, CloakResult, CloakUnavailable
from impasto.protection.cloaking.pipeline import Variant

FORMATS = ("avif", "webp", "jpeg")


def _asset(asset_id: int) -> MediaAsset:
    asset = MediaAsset.objects.select_related("owner").filter(pk=asset_id).first()
    if asset is None:
        raise CloakUnavailable(_("the image was deleted"))
    if asset.status != MediaAsset.Status.READY:
        raise CloakError(_("the image is not ready yet"))
    if asset.frames > 1:
        raise CloakUnavailable(_("animated images are not cloaked"))
    if asset.self_cloaked:
        raise CloakUnavailable(_("you cloaked this image yourself: we keep your pixels"))
    return asset


class ImagingCloakPipeline:
    def work_assets(self, *, owner_id: int, work_id: int) -> list[int] | None:
        grouped = works.work_assets(owner_id=owner_id, work_id=work_id)
        if grouped is not None:
            return grouped
        exists = MediaAsset.objects.filter(
            pk=work_id, owner_id=owner_id, purpose__in=services.CLOAKABLE_PURPOSES
        ).exists()
        return [work_id] if exists else None

    def variants(self, *, asset_id: int) -> list[Variant]:
        asset = _asset(asset_id)
        work = Path(tempfile.mkdtemp(prefix="impasto-cloak-", dir=settings.FILE_UPLOAD_TEMP_DIR))
        try:
            ext = services.ORIGINAL_EXTENSIONS[asset.source_format]
            original = work / f"original.{ext}"
            with (
                services._private().open(asset.original_key, "rb") as source,
                original.open("wb") as dest,
            ):
                shutil.copyfileobj(source, dest, 1 << 20)
            out_dir = work / "out"
            out_dir.mkdir()
            spec = services._job_spec(asset, original, out_dir)
            spec = derive.JobSpec(**{**spec.__dict__, "raw": True})
            try:
                result = sandbox.run(spec, services._limits())
            except sandbox.JobFailed as failure:
                raise CloakError(_("the image could not be prepared for cloaking")) from failure
            found: list[Variant] = []
            for raw in sorted(result.variants, key=lambda v: v.width):
                pixels = preserve.decode(Path(raw.path).read_bytes())
                if pixels.shape[2] == 4:
                    raise CloakUnavailable(_("images with transparency are not cloaked yet"))
                found.append(Variant(name=f"display-{raw.width}", pixels=pixels))
            return found
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def store(
        self, *, asset_id: int, job_id: int, cloaked: list[tuple[Variant, CloakResult]]
    ) -> None:
        asset = _asset(asset_id)
        credit = services.credit_for(
            owner=asset.owner, asset_id=asset.pk, source_type=asset.source_type
        )
        xmp = rights.xmp_packet(credit)
        chain, key = services.signing_chain()
        signer = rights.ProvenanceSigner(chain.read_bytes(), key.read_bytes())
        rows: list[MediaVariant] = []
        try:
            for variant, result in cloaked:
                image = preserve.to_vips(np.ascontiguousarray(result.pixels))
                width = int(variant.name.rsplit("-", 1)[1])
                for fmt in FORMATS:
                    data = derive.encode_kept(image, fmt, xmp)
                    manifest = rights.c2pa_manifest(
                        credit, title=f"display-{width}.{EXTENSIONS[fmt]}"
                    )
                    rows.append(
                        _stored(asset, fmt, image, signer.sign(data, fmt=fmt, manifest=manifest))
                    )
        finally:
            signer.close()
        services.variants_replace(asset_id=asset.pk, variants=rows)

    def clear(self, *, asset_id: int) -> None:
        if not services.asset_variants_rebuild(asset_id=asset_id):
            raise CloakError(_("the image is not ready yet"))


def _stored(asset: MediaAsset, fmt: str, image: pyvips.Image, data: bytes) -> MediaVariant:
    import hashlib

    digest = hashlib.sha256(data).hexdigest()
    key = f"v/{digest[:2]}/{digest}.{EXTENSIONS[fmt]}"
    storage = services._public()
    if not storage.exists(key):
        storage.save(key, ContentFile(data, name=key))
    return MediaVariant(
        asset=asset,
        kind=MediaVariant.Kind.DISPLAY,
        format=fmt,
        width=image.width,
        height=image.height,
        sha256=digest,
        key=key,
        bytes=len(data),
    )
