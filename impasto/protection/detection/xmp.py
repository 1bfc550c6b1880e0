"""XMP properties out of a raw packet, parsed safely.

XMP writes a property either as an attribute (``Iptc4xmpExt:DigitalSourceType="..."``) or as an
element (``<Iptc4xmpExt:DigitalSourceType>...</...>`` or with ``rdf:resource="..."``), and
nests structured values (``rdf:Alt``/``rdf:Seq``/``rdf:li``). Both forms are read here with
``defusedxml`` (no entity expansion, no external fetches). A packet that is not well-formed XML
(some writers pad or truncate it) falls back to matching the two forms textually on the
property names the detectors need, so a broken packet hides nothing it plainly says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
IPTC_EXT = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
XMP_BASIC = "http://ns.adobe.com/xap/1.0/"
TIFF = "http://ns.adobe.com/tiff/1.0/"
EXIF = "http://ns.adobe.com/exif/1.0/"
ST_EVT = "http://ns.adobe.com/xap/1.0/sType/ResourceEvent#"

#: Local names the fallback looks for when the packet does not parse.
FALLBACK_NAMES = (
    "DigitalSourceType",
    "AISystemUsed",
    "AISystemVersionUsed",
    "AIPromptInformation",
    "AIPromptWriterName",
    "CreatorTool",
    "Software",
    "softwareAgent",
)
FALLBACK_NAMESPACES = {
    "DigitalSourceType": IPTC_EXT,
    "AISystemUsed": IPTC_EXT,
    "AISystemVersionUsed": IPTC_EXT,
    "AIPromptInformation": IPTC_EXT,
    "AIPromptWriterName": IPTC_EXT,
    "CreatorTool": XMP_BASIC,
    "Software": TIFF,
    "softwareAgent": ST_EVT,
}


@dataclass(frozen=True)
class XmpProperty:
    namespace: str
    name: str
    value: str


def _split(tag: str) -> tuple[str, str] | None:
    if not tag.startswith("{"):
        return None
    namespace, _, name = tag[1:].partition("}")
    return namespace, name


def parse(packet: bytes) -> list[XmpProperty]:
    """Every property with a non-empty value, in document order."""
    text = packet.strip(b"\x00 \t\r\n")
    try:
        root = SafeET.fromstring(text)
    except (ParseError, DefusedXmlException, ValueError):
        return _fallback(text.decode("utf-8", errors="replace"))
    found: list[XmpProperty] = []
    for element in root.iter():
        for attribute, value in element.attrib.items():
            parts = _split(attribute)
            if parts and parts[0] != RDF and value.strip():
                found.append(XmpProperty(parts[0], parts[1], value.strip()))
        parts = _split(element.tag)
        if parts is None or parts[0] == RDF:
            continue
        value = element.attrib.get(f"{{{RDF}}}resource") or "".join(element.itertext())
        if value.strip():
            found.append(XmpProperty(parts[0], parts[1], value.strip()))
    return found


def _fallback(text: str) -> list[XmpProperty]:
    found: list[XmpProperty] = []
    names = "|".join(FALLBACK_NAMES)
    for match in re.finditer(rf'[\w.-]+:({names})\s*=\s*"([^"<]*)"', text):
        found.append(XmpProperty(FALLBACK_NAMESPACES[match[1]], match[1], match[2].strip()))
    for match in re.finditer(
        rf"<([\w.-]+):({names})\b([^>]*)>(.*?)</\1:\2\s*>", text, flags=re.DOTALL
    ):
        resource = re.search(r'rdf:resource\s*=\s*"([^"]*)"', match[3])
        value = resource[1] if resource else re.sub(r"<[^>]*>", " ", match[4])
        if value.strip():
            found.append(XmpProperty(FALLBACK_NAMESPACES[match[2]], match[2], value.strip()))
    for match in re.finditer(rf"<([\w.-]+):({names})\b[^>]*rdf:resource\s*=\s*\"([^\"]*)\"", text):
        found.append(XmpProperty(FALLBACK_NAMESPACES[match[2]], match[2], match[3].strip()))
    return list(dict.fromkeys(found))
