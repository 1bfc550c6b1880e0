"""Decode an original and write its stamped display variants: the job the sandbox runs.

No Django and no database here: the parent process passes a :class:`JobSpec` and stores what
this writes into ``out_dir``. Every variant is colour-managed to sRGB, upright (orientation
applied), stripped of every metadata block of the original (EXIF with GPS and camera,
embedded thumbnails, XMP, IPTC, comments), then stamped: optional visible watermark, the
owner watermark in the pixels, our XMP rights packet, and a signed C2PA manifest.
"""

from __future__ import annotations

import io
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import blurhash
import numpy as np
import pyvips
from PIL import Image

from impasto.core import perceptual
from impasto.imaging import vipsguard
from impasto.imaging.pipeline import rights, watermark
from impasto.protection.cloaking import preserve

DISPLAY_WIDTHS = (320, 640, 1080, 1600, 2048)
ANIMATED_WIDTHS = (320, 640)
# purpose -> (widths, aspect ratio width/height to crop to, or None to keep the picture whole)
PURPOSES: dict[str, tuple[tuple[int, ...], float | None]] = {
    "artwork": (DISPLAY_WIDTHS, None),
    "post": (DISPLAY_WIDTHS, None),
    "avatar": ((256, 512), 1.0),
    "banner": ((640, 1080, 1600, 2048), 3.0),
}
EXTENSIONS = {"jpeg": "jpg", "webp": "webp", "avif": "avif"}
FORMATS = ("avif", "webp", "jpeg")
HUGE = 10_000_000
XMP_KEEP = pyvips.enums.ForeignKeep.XMP


@dataclass(frozen=True)
class VisibleMark:
    text: str
    position: str
    opacity: int


@dataclass(frozen=True)
class JobSpec:
    original: str
    format: str  # jpeg, png, gif, webp, avif, heic
    frames: int
    out_dir: str
    purpose: str
    credit: rights.Credit
    watermark_key_hex: str
    chain_pem_path: str
    key_pem_path: str
    avif_effort: int = 1
    visible: VisibleMark | None = None
    # The artist cloaked the image before upload: keep its pixels (docs/cloaking.md).
    keep_pixels: bool = False
    # Write each width's stamped pixels as a PNG instead of the three formats (the cloak job
    # reads them: impasto.imaging.cloaking).
    raw: bool = False

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> JobSpec:
        data = json.loads(text)
        data["credit"] = rights.Credit(**data["credit"])
        data["visible"] = VisibleMark(**data["visible"]) if data.get("visible") else None
        return cls(**data)


@dataclass
class VariantFile:
    path: str
    kind: str  # display or poster
    format: str
    width: int
    height: int
    animated: bool
    watermarked: bool


@dataclass
class JobResult:
    width: int
    height: int
    frames: int
    blurhash: str
    dominant_color: str
    phash: str
    pdq: str | None
    pdq_quality: int
    variants: list[VariantFile] = field(default_factory=list)
    # The width served with the upload's own pixels (an artist's own cloak), if any.
    kept_width: int | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> JobResult:
        data = json.loads(text)
        data["variants"] = [VariantFile(**v) for v in data["variants"]]
        return cls(**data)


class DecodeError(Exception):
    """The original could not be decoded: its message is shown to the uploader."""


def _clean(image: pyvips.Image) -> pyvips.Image:
    """sRGB, 8 bits, 3 or 4 bands, and no metadata at all from the original."""
    if image.interpretation not in ("srgb", "b-w") or image.format != "uchar":
        image = image.colourspace("srgb")
    if image.bands < 3:
        grey = image[0]
        image = (
            grey.bandjoin([grey, grey])
            if image.bands == 1
            else grey.bandjoin([grey, grey, image[1]])
        )
    image = image.cast("uchar")
    if image.bands > 4:
        image = image[:4]
    memory = image.write_to_memory()
    return pyvips.Image.new_from_memory(
        memory, image.width, image.height, image.bands, "uchar"
    ).copy(interpretation="srgb")


def _crop_box(width: int, height: int, aspect: float | None) -> tuple[int, int] | None:
    if aspect is None:
        return None
    if width / height > aspect:
        return round(height * aspect), height
    return width, round(width / aspect)


def _load_still(spec: JobSpec, largest: int, aspect: float | None) -> tuple[pyvips.Image, int]:
    """The upright, sRGB picture at most ``largest`` px wide (never upscaled), and the width
    of the source (after cropping) it was made from."""
    if spec.format == "heic":
        # libvips (pyvips-binary) has no HEVC decoder: pillow-heif decodes HEIC in the worker.
        import pillow_heif

        heif = pillow_heif.open_heif(spec.original, convert_hdr_to_8bit=True)
        mode = "RGBA" if heif.has_alpha else "RGB"
        array = np.asarray(heif.to_pillow().convert(mode))
        image = pyvips.Image.new_from_memory(
            array.tobytes(), array.shape[1], array.shape[0], array.shape[2], "uchar"
        ).copy(interpretation="srgb")
        icc = heif.info.get("icc_profile")
        if icc:
            image.set_type(pyvips.GValue.blob_type, "icc-profile-data", bytes(icc))
            image = image.icc_transform("srgb", embedded=True)
        source = image
        width, height = source.width, source.height
        colour_managed = False  # transformed above
    else:
        header = pyvips.Image.new_from_file(spec.original, access="sequential")
        orientation = header.get("orientation") if header.get_typeof("orientation") else 1
        width, height = header.width, header.height
        # An untagged RGB picture is sRGB already: asking thumbnail for an sRGB output profile
        # would still run it through lcms (~0.4 s of CPU at 2048 px for nothing).
        colour_managed = bool(header.get_typeof("icc-profile-data")) or (
            header.interpretation not in ("srgb", "b-w")
        )
        if orientation in (5, 6, 7, 8):
            width, height = height, width
        source = None
    box = _crop_box(width, height, aspect)
    crop_w, crop_h = box or (width, height)
    target_w = min(largest, crop_w)
    target_h = max(1, round(crop_h * target_w / crop_w)) if box else HUGE
    options: dict[str, Any] = {"height": target_h, "size": "down"}
    if colour_managed:
        options["output_profile"] = "srgb"
    if box:
        options["crop"] = "attention"
    if source is not None:
        image = source.thumbnail_image(target_w, **options)
    else:
        image = pyvips.Image.thumbnail(spec.original, target_w, fail_on="truncated", **options)
    return _clean(image), crop_w


def _encode(
    image: pyvips.Image,
    fmt: str,
    spec: JobSpec | None,
    xmp: bytes,
    preserving: dict[str, Any] | None = None,
) -> bytes:
    """Encode with the usual settings, or with ``preserving`` (the keep-the-cloak settings of
    :func:`impasto.protection.cloaking.preserve.encoding_options`)."""
    image = image.copy()
    image.set_type(pyvips.GValue.blob_type, "xmp-data", xmp)
    if fmt == "jpeg" and image.hasalpha():
        image = image.flatten(background=[255, 255, 255]).cast("uchar")
        image.set_type(pyvips.GValue.blob_type, "xmp-data", xmp)
    if preserving is not None:
        if fmt == "avif":
            return bytes(image.heifsave_buffer(keep=XMP_KEEP, **preserving))
        return bytes(getattr(image, f"{fmt}save_buffer")(keep=XMP_KEEP, **preserving))
    if fmt == "jpeg":
        return bytes(
            image.jpegsave_buffer(Q=85, optimize_coding=True, interlace=True, keep=XMP_KEEP)
        )
    if fmt == "webp":
        return bytes(image.webpsave_buffer(Q=82, effort=2, keep=XMP_KEEP))
    return bytes(
        image.heifsave_buffer(
            Q=55, compression="av1", effort=spec.avif_effort if spec else 2, keep=XMP_KEEP
        )
    )


def encode_kept(image: pyvips.Image, fmt: str, xmp: bytes) -> bytes:
    """``image`` encoded so that its pixels survive (lossless WebP/AVIF, JPEG Q98 4:4:4), with
    our XMP rights packet: for cloaked variants."""
    return _encode(image, fmt, None, xmp, preserve.encoding_options(fmt, keep_pixels=True))


def _facts(image: pyvips.Image) -> dict[str, Any]:
    small = image.thumbnail_image(512)
    rgb = small.flatten(background=[255, 255, 255]) if small.hasalpha() else small
    array = np.ndarray(
        buffer=rgb.cast("uchar").write_to_memory(), dtype=np.uint8, shape=[rgb.height, rgb.width, 3]
    )
    hashes = perceptual.compute(array)
    pil = Image.fromarray(array)
    tiny = pil.copy()
    tiny.thumbnail((64, 64))
    code = blurhash.encode(tiny.copy(), x_components=4, y_components=3)  # it closes the image
    # Dominant colour: the most common colour after quantising to 4 bits a channel.
    quant = (np.asarray(tiny).reshape(-1, 3) // 16).astype(np.int32)
    keys = quant[:, 0] * 256 + quant[:, 1] * 16 + quant[:, 2]
    top = int(np.bincount(keys).argmax())
    members = np.asarray(tiny).reshape(-1, 3)[keys == top].mean(axis=0).astype(int)
    colour = "#" + "".join(f"{int(c):02x}" for c in members)
    return {
        "blurhash": code,
        "dominant_color": colour,
        "phash": hashes.phash,
        "pdq": hashes.pdq,
        "pdq_quality": hashes.pdq_quality,
    }


class _Stamper:
    def __init__(self, spec: JobSpec) -> None:
        self.spec = spec
        self.key = bytes.fromhex(spec.watermark_key_hex)
        self.signer = rights.ProvenanceSigner(
            Path(spec.chain_pem_path).read_bytes(), Path(spec.key_pem_path).read_bytes()
        )
        self.xmp = rights.xmp_packet(spec.credit)
        self.out = Path(spec.out_dir)

    def pixels(self, image: pyvips.Image) -> tuple[pyvips.Image, bool]:
        if self.spec.visible is not None:
            image = watermark.draw_visible(
                image,
                text=self.spec.visible.text,
                position=self.spec.visible.position,
                opacity=self.spec.visible.opacity,
            )
        return watermark.embed(image, asset_id=self.spec.credit.asset_id, key=self.key)

    def write(self, data: bytes, *, fmt: str, kind: str, width: int, height: int,
              animated: bool, watermarked: bool) -> VariantFile:  # fmt: skip
        manifest = rights.c2pa_manifest(self.spec.credit, title=f"{kind}-{width}.{EXTENSIONS[fmt]}")
        signed = self.signer.sign(data, fmt=fmt, manifest=manifest)
        path = self.out / f"{kind}-{width}-{'anim-' if animated else ''}{fmt}.{EXTENSIONS[fmt]}"
        path.write_bytes(signed)
        return VariantFile(str(path), kind, fmt, width, height, animated, watermarked)


def _widths(purpose: str, available: int, *, animated: bool) -> list[int]:
    widths, _aspect = PURPOSES.get(purpose, PURPOSES["artwork"])
    if animated:
        widths = tuple(w for w in widths if w <= max(ANIMATED_WIDTHS)) or widths[:1]
    chosen = [w for w in widths if w <= available]
    if available < widths[-1] and available not in chosen:
        chosen.append(available)  # the picture's own width, never larger
    return sorted(set(chosen))


def run(spec: JobSpec) -> JobResult:
    vipsguard.configure()
    widths_all, aspect = PURPOSES.get(spec.purpose, PURPOSES["artwork"])
    stamper = _Stamper(spec)
    encoders = ThreadPoolExecutor(max_workers=len(FORMATS))
    try:
        if spec.frames > 1:
            return _run_animated(spec, stamper, aspect)
        try:
            base, source_width = _load_still(spec, max(widths_all), aspect)  # in memory (_clean)
        except pyvips.Error as error:
            if "out of memory" in str(error).lower():
                raise
            raise DecodeError(str(error).splitlines()[0]) from None
        result = JobResult(width=base.width, height=base.height, frames=1, **_facts(base))
        widths = _widths(spec.purpose, base.width, animated=False)
        keep = spec.keep_pixels and aspect is None  # a crop changes every pixel anyway
        if keep:
            plans = preserve.plan_widths(original_width=source_width, widths=widths_all)
            widths = [plan.width for plan in plans]
            result.kept_width = preserve.kept_width(plans)
        for width in sorted(widths, reverse=True):
            if width != base.width:
                image = base.thumbnail_image(width, height=HUGE).copy_memory()
            else:
                image = base
            kept = keep and width == result.kept_width
            if kept:  # the artist's own pixels: no stamp drawn on them
                stamped, marked = image, False
            else:
                stamped, marked = stamper.pixels(image)
            stamped = stamped.copy_memory()
            if spec.raw:
                raw_path = Path(spec.out_dir) / f"raw-{stamped.width}.png"
                stamped.pngsave(str(raw_path), compression=1)
                result.variants.append(
                    VariantFile(
                        str(raw_path),
                        "display",
                        "png",
                        stamped.width,
                        stamped.height,
                        False,
                        marked,
                    )
                )
                continue

            def encode(fmt: str, img: pyvips.Image = stamped, kept: bool = kept) -> bytes:
                preserving = preserve.encoding_options(fmt, keep_pixels=kept) if keep else None
                return _encode(img, fmt, spec, stamper.xmp, preserving)

            # libvips releases the GIL while encoding: the formats run side by side, except at
            # the largest width, where the AV1 encoder's buffers (~45 MB) would sit beside the
            # other two's and set the job's peak memory: there AVIF goes first, alone.
            alone = FORMATS[:1] if image is base else ()
            encoded = {fmt: encode(fmt) for fmt in alone}
            rest = [fmt for fmt in FORMATS if fmt not in encoded]
            encoded.update(zip(rest, encoders.map(encode, rest), strict=True))
            for fmt in FORMATS:
                data = encoded[fmt]
                result.variants.append(
                    stamper.write(
                        data,
                        fmt=fmt,
                        kind="display",
                        width=image.width,
                        height=image.height,
                        animated=False,
                        watermarked=marked,
                    )
                )
        return result
    finally:
        encoders.shutdown()
        stamper.signer.close()


def _load_frames(spec: JobSpec) -> tuple[list[pyvips.Image], list[int]]:
    if spec.format == "png":  # APNG: libvips reads only the default image
        frames: list[pyvips.Image] = []
        delays: list[int] = []
        with Image.open(spec.original) as apng:
            for index in range(getattr(apng, "n_frames", 1)):
                apng.seek(index)
                rgba = np.asarray(apng.convert("RGBA"))
                frames.append(
                    pyvips.Image.new_from_memory(
                        rgba.tobytes(), rgba.shape[1], rgba.shape[0], 4, "uchar"
                    ).copy(interpretation="srgb")
                )
                delays.append(int(apng.info.get("duration", 100) or 100))
        return frames, delays
    strip = pyvips.Image.new_from_file(
        spec.original, n=-1, access="sequential", fail_on="truncated"
    )
    page = strip.get("page-height") if strip.get_typeof("page-height") else strip.height
    count = strip.height // page
    delays = list(strip.get("delay")) if strip.get_typeof("delay") else [100] * count
    strip = _clean(strip).copy_memory()
    return [strip.crop(0, i * page, strip.width, page) for i in range(count)], delays


def _run_animated(spec: JobSpec, stamper: _Stamper, aspect: float | None) -> JobResult:
    try:
        frames, delays = _load_frames(spec)
    except (pyvips.Error, OSError, ValueError) as error:
        raise DecodeError(str(error).splitlines()[0]) from None
    frames = [_clean(f) for f in frames]
    first = frames[0]
    result = JobResult(width=first.width, height=first.height, frames=len(frames), **_facts(first))
    box = _crop_box(first.width, first.height, aspect)
    for width in sorted(
        _widths(spec.purpose, (box or (first.width,))[0], animated=True), reverse=True
    ):
        options: dict[str, Any] = {"height": HUGE, "size": "down"}
        if box:
            options = {"height": round(width / aspect), "crop": "centre"} if aspect else options
        stamped: list[pyvips.Image] = []
        marked_all = True
        for frame in frames:
            small = frame.thumbnail_image(width, **options).copy_memory()
            marked_frame, marked = stamper.pixels(small)
            marked_all = marked_all and marked
            stamped.append(marked_frame.copy_memory())
        height = stamped[0].height
        # Still poster (first frame) in every format, for <img> fallback and reduced motion.
        for fmt in ("avif", "webp", "jpeg"):
            data = _encode(stamped[0], fmt, spec, stamper.xmp)
            result.variants.append(
                stamper.write(
                    data,
                    fmt=fmt,
                    kind="poster",
                    width=stamped[0].width,
                    height=height,
                    animated=False,
                    watermarked=marked_all,
                )
            )
        strip = pyvips.Image.arrayjoin(stamped, across=1).copy(interpretation="srgb")
        strip = strip.copy()
        strip.set_type(pyvips.GValue.gint_type, "page-height", height)
        strip.set_type(pyvips.GValue.array_int_type, "delay", delays[: len(stamped)])
        strip.set_type(pyvips.GValue.gint_type, "loop", 0)
        strip.set_type(pyvips.GValue.blob_type, "xmp-data", stamper.xmp)
        webp = bytes(strip.webpsave_buffer(Q=80, effort=2, keep=XMP_KEEP))
        result.variants.append(
            stamper.write(
                webp,
                fmt="webp",
                kind="display",
                width=stamped[0].width,
                height=height,
                animated=True,
                watermarked=marked_all,
            )
        )
        avif = _animated_avif(stamped, delays, stamper.xmp, spec.avif_effort)
        result.variants.append(
            stamper.write(
                avif,
                fmt="avif",
                kind="display",
                width=stamped[0].width,
                height=height,
                animated=True,
                watermarked=marked_all,
            )
        )
    return result


def _animated_avif(frames: list[pyvips.Image], delays: list[int], xmp: bytes, effort: int) -> bytes:
    # libvips writes AVIF stills only; Pillow's AVIF plugin (libavif) writes sequences.
    pils = [
        Image.frombytes("RGBA" if f.bands == 4 else "RGB", (f.width, f.height), f.write_to_memory())
        for f in frames
    ]
    buffer = io.BytesIO()
    pils[0].save(
        buffer,
        format="AVIF",
        save_all=True,
        append_images=pils[1:],
        duration=delays[: len(pils)],
        loop=0,
        quality=60,
        speed=max(6, 10 - effort),
        xmp=xmp,
    )
    return buffer.getvalue()
