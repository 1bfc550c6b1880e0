"""Declarations in IPTC/XMP metadata, and generator names in free-text software tags.

- ``Iptc4xmpExt:DigitalSourceType`` with an AI value (strong; compositeSynthetic weak) and the
  IPTC 2025.1 AI-system fields (strong): IPTC asks generators to write these, and Google,
  Midjourney and others do. A person rarely writes them onto their own work by mistake.
- Generator names in EXIF Software/Make/Model/Artist, XMP CreatorTool, tiff:Software, history
  software agents and PNG ``Software``/``Source`` text: weak, because these are free text that
  any tool or person can fill in, and several names are ordinary words.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from impasto.protection.detection import vocab, xmp
from impasto.protection.detection.base import Detector, Evidence, Strength, strong, weak
from impasto.protection.detection.subject import Subject

# EXIF tags (IFD0) whose text names the software or device that made the file.
EXIF_SOFTWARE_TAGS = {0x0131: "Software", 0x010F: "Make", 0x0110: "Model", 0x013B: "Artist"}
XMP_SOFTWARE = {
    (xmp.XMP_BASIC, "CreatorTool"),
    (xmp.TIFF, "Software"),
    (xmp.TIFF, "Make"),
    (xmp.TIFF, "Model"),
    (xmp.ST_EVT, "softwareAgent"),
}
PNG_SOFTWARE_KEYS = ("Software", "Source")


class IptcDetector(Detector):
    name = "iptc"

    def detect(self, subject: Subject) -> Iterable[Evidence]:
        found: list[Evidence] = []
        for prop in subject.xmp_properties:
            if prop.namespace != xmp.IPTC_EXT:
                continue
            if prop.name == "DigitalSourceType":
                strength = vocab.source_type_strength(prop.value)
                code = vocab.normalise_source_type(prop.value)
                if strength is Strength.STRONG:
                    found.append(
                        strong(vocab.IPTC_AI, f"AI (declared): XMP DigitalSourceType {code}")
                    )
                elif strength is Strength.WEAK:
                    found.append(weak(vocab.IPTC_SYNTHETIC, f"XMP DigitalSourceType {code}"))
            elif prop.name in vocab.IPTC_AI_FIELDS:
                found.append(
                    strong(
                        vocab.IPTC_AI_SYSTEM,
                        f"AI (declared): XMP Iptc4xmpExt:{prop.name}={prop.value[:200]!r}",
                    )
                )
        return list(dict.fromkeys(found))


class SoftwareNameDetector(Detector):
    name = "software"

    def detect(self, subject: Subject) -> Iterable[Evidence]:
        seen: dict[str, Evidence] = {}
        for where, value in self._software_strings(subject):
            name = vocab.generator_name_in(value)
            if name and name.lower() not in seen:
                seen[name.lower()] = weak(
                    vocab.SOFTWARE_NAME, f"{where} names a generator: {value[:200]!r}"
                )
        return list(seen.values())

    @staticmethod
    def _software_strings(subject: Subject) -> Iterator[tuple[str, str]]:
        if subject.exif is not None:
            for tag, label in EXIF_SOFTWARE_TAGS.items():
                value = subject.exif.get(tag)
                if isinstance(value, bytes):
                    value = value.decode("utf-8", errors="replace")
                if isinstance(value, str) and value.strip():
                    yield f"EXIF {label}", value.strip("\x00 ")
        for prop in subject.xmp_properties:
            if (prop.namespace, prop.name) in XMP_SOFTWARE:
                yield f"XMP {prop.name}", prop.value
        for key in PNG_SOFTWARE_KEYS:
            chunk = subject.png.text(key)
            if chunk is not None:
                yield f"PNG text {chunk.keyword}", chunk.text[:1000]
