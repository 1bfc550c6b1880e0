"""Generator parameters that Stable-Diffusion-family tools save with their images.

Where (../shared/ANTI-AI.md A2, A3):
- PNG text chunks: ``parameters`` (AUTOMATIC1111, Forge, SD.Next; Fooocus with
  ``fooocus_scheme``; SwarmUI as JSON), ``prompt`` + ``workflow`` (ComfyUI node graphs),
  ``Comment`` JSON + ``Software``/``Source`` (NovelAI), ``invokeai_metadata``/``_graph``/
  ``_workflow`` and legacy ``sd-metadata``/``Dream`` (InvokeAI), ``generation_data``
  (Tensor.Art), ``Description`` with a Midjourney job id;
- EXIF ``UserComment`` (A1111/Forge JPEG and WebP), EXIF ``ImageDescription``, XMP
  ``exif:UserComment`` (Draw Things) and GIF/JPEG comments, checked for the same layouts.

Each rule looks at the content, not only the keyword: a ``parameters`` chunk counts as strong
when it has A1111's settings line (``Steps: 20, Sampler: ...``) or a known JSON layout, a
``prompt`` chunk when it is a ComfyUI graph. A known keyword with content in no known layout
is weak: it deserves a look, not a hold.

Midjourney (web downloads, [reported] layout): ``Description`` holding ``Job ID: <uuid>`` and
at least one Midjourney parameter flag (``--ar``, ``--v``, ``--niji``, ``--stylize``...) is
strong: no drawing or photo tool writes that pair, and typing it by hand means claiming to be
Midjourney output. A job id alone is weak.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

import piexif.helper

from impasto.protection.detection import vocab, xmp
from impasto.protection.detection.base import Detector, Evidence, strong, weak
from impasto.protection.detection.pngchunks import PngMetadata, TextChunk
from impasto.protection.detection.subject import Subject

A1111_STEPS = re.compile(r"\bSteps: \d+,")
A1111_OTHER = re.compile(r"\b(?:Sampler: \S|CFG scale: \d|Seed: \d|Model hash: [0-9a-f])")
MJ_JOB_ID = re.compile(
    r"Job ID:\s*[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE
)
MJ_FLAG = re.compile(
    r"(?:^|\s)--(?:ar|aspect|v|version|niji|stylize|s|chaos|c|q|quality|style|seed|no|iw"
    r"|sref|cref|sw|cw|p|weird|w|tile|raw|turbo|relax|fast|draft)\b"
)
DREAM_FLAG = re.compile(r"(?:^|\s)-(?:s|S|W|H|C|A|I|f)\s*\S")
#: Keys of NovelAI's ``Comment`` JSON that only an image generator writes (A1111's converter
#: reads uc, steps, scale, seed, sampler). Generic words (width, scale, strength) are left out:
#: a drawing app's JSON could hold those.
NAI_KEYS = frozenset(
    {"uc", "steps", "seed", "sampler", "n_samples", "cfg_rescale", "noise_schedule", "sm",
     "sm_dyn", "signed_hash", "v4_prompt", "v4_negative_prompt", "request_type"}
)  # fmt: skip
INVOKEAI_KEYS = ("invokeai_metadata", "invokeai_graph", "invokeai_workflow")
EXIF_IFD = 0x8769
USER_COMMENT = 0x9286
IMAGE_DESCRIPTION = 0x010E
XP_COMMENT = 0x9C9C
UNICODE_PREFIX = b"UNICODE\x00"


def _json(chunk_text: str) -> Any:
    try:
        return json.loads(chunk_text)
    except (ValueError, RecursionError):
        return None


def _excerpt(text: str, pattern: re.Pattern[str], width: int = 160) -> str:
    match = pattern.search(text)
    start = match.start() if match else 0
    return text[start : start + width].replace("\n", " ")


def is_a1111(text: str) -> bool:
    return bool(A1111_STEPS.search(text) and A1111_OTHER.search(text))


def _known_json_layout(data: Any) -> str | None:
    """Which generator wrote this JSON, for the layouts that are not tied to a keyword."""
    if not isinstance(data, dict):
        return None
    if "sui_image_params" in data:
        return "SwarmUI"
    if str(data.get("Version", "")).lower().startswith("fooocus"):
        return "Fooocus"
    if len(NAI_KEYS & data.keys()) >= 3:
        return "NovelAI"
    return None


def free_text_evidence(where: str, text: str) -> Iterator[Evidence]:
    """Generator parameters in a free-text field (EXIF UserComment, comments...)."""
    if is_a1111(text):
        yield strong(
            vocab.GENERATOR_PARAMETERS,
            f"AUTOMATIC1111-style parameters in {where}: {_excerpt(text, A1111_STEPS)!r}",
        )
    elif (layout := _known_json_layout(_json(text))) is not None:
        yield strong(vocab.GENERATOR_PARAMETERS, f"{layout} parameters (JSON) in {where}")


def _comfy(chunk: TextChunk, markers: tuple[str, ...], check: Any) -> bool:
    if chunk.truncated:  # too long to parse: ComfyUI's own keys in what was read
        return all(marker in chunk.text for marker in markers)
    return bool(check(_json(chunk.text)))


def _is_comfy_prompt(data: Any) -> bool:
    return isinstance(data, dict) and any(
        isinstance(node, dict) and "class_type" in node for node in data.values()
    )


def _is_comfy_workflow(data: Any) -> bool:
    if not isinstance(data, dict) or not isinstance(nodes := data.get("nodes"), list):
        return False
    return "last_node_id" in data or any(
        isinstance(node, dict) and "type" in node and "widgets_values" in node for node in nodes
    )


def png_evidence(png: PngMetadata) -> Iterator[Evidence]:
    def where(chunk: TextChunk) -> str:
        cut = ", read in part" if chunk.truncated else ""
        return f"PNG {chunk.chunk_type} {chunk.keyword!r}{cut}"

    scheme = png.text("fooocus_scheme")
    parameters = png.text("parameters")
    if scheme is not None:
        yield strong(
            vocab.GENERATOR_PARAMETERS,
            f"Fooocus parameters: {where(scheme)}={scheme.text[:40]!r}",
        )
    elif parameters is not None:
        layout = _known_json_layout(_json(parameters.text))
        if is_a1111(parameters.text):
            yield strong(
                vocab.GENERATOR_PARAMETERS,
                f"AUTOMATIC1111-style parameters in {where(parameters)}:"
                f" {_excerpt(parameters.text, A1111_STEPS)!r}",
            )
        elif layout is not None:
            yield strong(
                vocab.GENERATOR_PARAMETERS, f"{layout} parameters (JSON) in {where(parameters)}"
            )
        else:
            yield weak(vocab.GENERATOR_METADATA_LIKE, f"{where(parameters)} in no known layout")

    comfy = [
        chunk
        for chunk, marker, check in (
            (png.text("prompt"), ('"class_type"', '"inputs"'), _is_comfy_prompt),
            (png.text("workflow"), ('"nodes"', '"widgets_values"'), _is_comfy_workflow),
        )
        if chunk is not None and _comfy(chunk, marker, check)
    ]
    if comfy:
        yield strong(
            vocab.GENERATOR_PARAMETERS,
            "ComfyUI node graph in " + " and ".join(where(chunk) for chunk in comfy),
        )
    else:
        for key in ("prompt", "workflow"):
            if (chunk := png.text(key)) is not None:
                yield weak(vocab.GENERATOR_METADATA_LIKE, f"{where(chunk)} in no known layout")

    comment = png.text("Comment")
    software = png.text("Software")
    if comment is not None and _known_json_layout(_json(comment.text)) == "NovelAI":
        by = f" (Software={software.text[:40]!r})" if software else ""
        yield strong(vocab.GENERATOR_PARAMETERS, f"NovelAI parameters in {where(comment)}{by}")
    elif (
        software is not None
        and software.text.strip().casefold() == "novelai"
        and (png.text("Generation time") or png.text("Source"))
    ):
        yield strong(
            vocab.GENERATOR_PARAMETERS,
            "NovelAI generation record: PNG text Software='NovelAI' with Source/Generation time",
        )

    invoke = [chunk for key in INVOKEAI_KEYS if (chunk := png.text(key)) is not None]
    if invoke:
        yield strong(
            vocab.GENERATOR_PARAMETERS,
            "InvokeAI metadata in " + " and ".join(where(chunk) for chunk in invoke),
        )
    if (legacy := png.text("sd-metadata")) is not None:
        if isinstance(_json(legacy.text), dict) or (legacy.truncated and "{" in legacy.text):
            yield strong(vocab.GENERATOR_PARAMETERS, f"InvokeAI 2 metadata in {where(legacy)}")
        else:
            yield weak(vocab.GENERATOR_METADATA_LIKE, f"{where(legacy)} in no known layout")
    if (dream := png.text("Dream")) is not None:
        if len(DREAM_FLAG.findall(dream.text)) >= 2:
            yield strong(
                vocab.GENERATOR_PARAMETERS,
                f"InvokeAI 'dream' command in {where(dream)}: {dream.text[:160]!r}",
            )
        else:
            yield weak(vocab.GENERATOR_METADATA_LIKE, f"{where(dream)} in no known layout")
    if (tensor := png.text("generation_data")) is not None:
        if isinstance(_json(tensor.text), dict) or tensor.truncated:
            yield strong(vocab.GENERATOR_PARAMETERS, f"Tensor.Art parameters in {where(tensor)}")
        else:
            yield weak(vocab.GENERATOR_METADATA_LIKE, f"{where(tensor)} in no known layout")

    if (description := png.text("Description")) is not None and (
        job := MJ_JOB_ID.search(description.text)
    ):
        if MJ_FLAG.search(description.text):
            yield strong(
                vocab.MIDJOURNEY,
                f"Midjourney description (heuristic: {job[0]!r} and parameter flags)"
                f" in {where(description)}",
            )
        else:
            yield weak(
                vocab.MIDJOURNEY,
                f"Midjourney-like job id without parameter flags in {where(description)}",
            )

    # Other text chunks (a Comment, a Description) may hold A1111's layout too.
    for chunk in png.texts:
        if chunk.keyword.casefold() not in {"parameters", "xml:com.adobe.xmp"} and is_a1111(
            chunk.text
        ):
            yield strong(
                vocab.GENERATOR_PARAMETERS,
                f"AUTOMATIC1111-style parameters in {where(chunk)}:"
                f" {_excerpt(chunk.text, A1111_STEPS)!r}",
            )


def decode_user_comment(raw: bytes | str) -> str:
    """EXIF UserComment as text (8-byte character-code prefix, then the body)."""
    if isinstance(raw, str):
        return raw
    try:
        text = piexif.helper.UserComment.load(raw)
    except ValueError:
        return raw[8:].decode("utf-8", errors="replace") if len(raw) >= 8 else ""
    if raw.startswith(UNICODE_PREFIX):
        # The standard leaves UCS-2's byte order to the writer; A1111 (through piexif) writes
        # big-endian, others little-endian. Keep whichever decoding reads as more ASCII.
        little = raw[8:].decode("utf_16_le", errors="replace")
        if sum(c.isascii() for c in little) > sum(c.isascii() for c in text):
            return little
    return text


class GeneratorParametersDetector(Detector):
    name = "generator-parameters"

    def detect(self, subject: Subject) -> Iterable[Evidence]:
        found = list(png_evidence(subject.png))
        for where, text in self._free_texts(subject):
            found.extend(free_text_evidence(where, text))
        return list(dict.fromkeys(found))

    @staticmethod
    def _free_texts(subject: Subject) -> Iterator[tuple[str, str]]:
        if subject.exif is not None:
            sub = subject.exif.get_ifd(EXIF_IFD)
            if (raw := sub.get(USER_COMMENT)) is not None:
                yield "EXIF UserComment", decode_user_comment(raw)
            if isinstance(description := subject.exif.get(IMAGE_DESCRIPTION), str):
                yield "EXIF ImageDescription", description
            if isinstance(xp := subject.exif.get(XP_COMMENT), bytes | tuple):
                yield "EXIF XPComment", bytes(xp).decode("utf_16_le", errors="replace")
        for prop in subject.xmp_properties:
            if prop.namespace == xmp.EXIF and prop.name == "UserComment":
                yield "XMP exif:UserComment", prop.value
        for comment in subject.comments:
            yield f"{subject.format} comment", comment
