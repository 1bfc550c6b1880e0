"""Read back what a file carries: owner watermark, rights XMP and C2PA manifest.

Runs in the sandbox like the derive job (it decodes pixels of a file we did not make).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as SafeET
import numpy as np
import pyvips

from impasto.core import perceptual
from impasto.imaging import vipsguard
from impasto.imaging.pipeline import rights, watermark


@dataclass(frozen=True)
class InspectSpec:
    path: str
    format: str
    mime: str
    watermark_key_hex: str
    out_dir: str

    def to_json(self) -> str:
        return json.dumps(self.__dict__)

    @classmethod
    def from_json(cls, text: str) -> InspectSpec:
        return cls(**json.loads(text))


def _rights_from_xmp(xmp: bytes) -> dict[str, Any]:
    try:
        start = xmp.index(b"<x:xmpmeta")
        end = xmp.rindex(b"</x:xmpmeta>") + len(b"</x:xmpmeta>")
        root = SafeET.fromstring(xmp[start:end])
    except (ValueError, SafeET.ParseError):
        return {}
    ns = rights.NS

    def text(path: str) -> str | None:
        node = root.find(path, ns)
        return node.text if node is not None and node.text else None

    desc = ".//rdf:Description"
    return {
        "creator": text(f"{desc}/dc:creator/rdf:Seq/rdf:li"),
        "copyright": text(f"{desc}/dc:rights/rdf:Alt/rdf:li"),
        "web_statement": text(f"{desc}/xmpRights:WebStatement"),
        "data_mining": text(f"{desc}/plus:DataMining"),
        "digital_source_type": text(f"{desc}/Iptc4xmpExt:DigitalSourceType"),
    }


def _load(spec: InspectSpec) -> pyvips.Image:
    if spec.format == "heic":
        import pillow_heif

        heif = pillow_heif.open_heif(spec.path, convert_hdr_to_8bit=True)
        array = np.asarray(heif.to_pillow().convert("RGB"))
        image = pyvips.Image.new_from_memory(
            array.tobytes(), array.shape[1], array.shape[0], 3, "uchar"
        ).copy(interpretation="srgb")
        xmp = heif.info.get("xmp")
        if xmp:
            image.set_type(pyvips.GValue.blob_type, "xmp-data", bytes(xmp))
        return image
    return pyvips.Image.new_from_file(spec.path, fail_on="error")


def _hashes(image: pyvips.Image) -> dict[str, Any]:
    """pHash and PDQ of the copy, as the pipeline computes them for uploads (to find the
    nearest of the artist's own works)."""
    small = image.thumbnail_image(512)
    if small.bands < 3:
        small = small.colourspace("srgb")
    rgb = small.flatten(background=[255, 255, 255]) if small.hasalpha() else small
    rgb = rgb.cast("uchar")[:3]
    array = np.ndarray(
        buffer=rgb.write_to_memory(), dtype=np.uint8, shape=[rgb.height, rgb.width, 3]
    )
    hashes = perceptual.compute(array)
    return {"phash": hashes.phash, "pdq": hashes.pdq, "pdq_quality": hashes.pdq_quality}


def run(spec: InspectSpec) -> dict[str, Any]:
    vipsguard.configure()
    data = Path(spec.path).read_bytes()
    image = _load(spec)
    xmp = image.get("xmp-data") if image.get_typeof("xmp-data") else b""
    upright = image.autorot() if spec.format != "heic" else image
    asset_id, read_at = watermark.detect(upright, key=bytes.fromhex(spec.watermark_key_hex))
    store = rights.read_manifest(data, spec.mime)
    c2pa: dict[str, Any] = {"present": store is not None}
    if store is not None:
        c2pa["validation_state"] = store.get("validation_state")
        c2pa["validation_status"] = [s.get("code") for s in store.get("validation_status") or []]
        active = store.get("manifests", {}).get(store.get("active_manifest") or "", {})
        c2pa["active_manifest"] = store.get("active_manifest")
        c2pa["claim_generator"] = [g.get("name") for g in active.get("claim_generator_info", [])]
        c2pa["signature_issuer"] = (active.get("signature_info") or {}).get("issuer")
        for assertion in active.get("assertions", []):
            label = assertion.get("label", "")
            payload = assertion.get("data", {})
            if label.startswith("c2pa.actions"):
                c2pa["actions"] = [
                    {"action": a.get("action"), "digitalSourceType": a.get("digitalSourceType")}
                    for a in payload.get("actions", [])
                ]
            elif label in {"cawg.training-mining", "c2pa.training-mining"}:
                c2pa["training_mining"] = {
                    name: entry.get("use") for name, entry in payload.get("entries", {}).items()
                }
            elif label == "stds.schema-org.CreativeWork":
                c2pa["author"] = payload.get("author")
                c2pa["publisher"] = payload.get("publisher")
        if "error" in store:
            c2pa["error"] = store["error"]
    return {
        "format": spec.format,
        "hashes": _hashes(upright),
        "width": upright.width,
        "height": upright.height,
        "watermark": {
            "found": asset_id is not None,
            "asset_id": str(asset_id) if asset_id is not None else None,
            "read_at_width": read_at,
        },
        "rights": _rights_from_xmp(bytes(xmp)) if xmp else {},
        "c2pa": c2pa,
    }
