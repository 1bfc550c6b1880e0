"""Digital source type normalisation, generator names, and XMP parsing."""

from __future__ import annotations

import pytest

from impasto.protection.detection import vocab, xmp
from impasto.protection.detection.base import Strength


@pytest.mark.parametrize(
    "uri",
    [
        "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
        "https://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
        "https://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia/",
        "  HTTP://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia ",
    ],
)
def test_source_type_uris_are_normalised(uri: str) -> None:
    assert vocab.normalise_source_type(uri) == "trainedAlgorithmicMedia"
    assert vocab.source_type_strength(uri) is Strength.STRONG


@pytest.mark.parametrize(
    ("code", "strength"),
    [
        ("trainedAlgorithmicMedia", Strength.STRONG),
        ("compositeWithTrainedAlgorithmicMedia", Strength.STRONG),
        ("compositeSynthetic", Strength.WEAK),
        ("algorithmicMedia", None),
        ("algorithmicallyEnhanced", None),
        ("digitalCapture", None),
        ("digitalCreation", None),
        ("humanEdits", None),
        ("screenCapture", None),
    ],
)
def test_source_type_policy(code: str, strength: Strength | None) -> None:
    uri = f"http://cv.iptc.org/newscodes/digitalsourcetype/{code}"
    assert vocab.source_type_strength(uri) is strength


def test_a_bare_code_counts_but_another_vocabulary_never_matches() -> None:
    assert vocab.source_type_strength("trainedAlgorithmicMedia") is Strength.STRONG
    assert vocab.source_type_strength("http://example.org/trainedAlgorithmicMedia") is None
    assert vocab.source_type_strength("urn:x:trainedAlgorithmicMedia") is None


@pytest.mark.parametrize(
    "software",
    [
        "Midjourney",
        "DALL·E 3",
        "DALL-E",
        "Adobe Firefly Image 3",
        "Stable Diffusion XL",
        "StableDiffusion 1.5",
        "NovelAI",
        "ComfyUI",
        "InvokeAI 4.2",
        "FLUX.1 [dev]",
        "GPT-4o, OpenAI API",
        "Image Creator from Microsoft Designer",
    ],
)
def test_generator_names_are_recognised(software: str) -> None:
    assert vocab.generator_name_in(software)


@pytest.mark.parametrize(
    "software",
    [
        "Adobe Photoshop 26.0 (Macintosh)",
        "Adobe Lightroom Classic 14.0",
        "Adobe Fresco 6",
        "Krita 5.2.9",
        "Procreate 5X",
        "CLIP STUDIO PAINT",
        "GIMP 2.10.38",
        "Affinity Photo 2",
        "PaintTool SAI Ver.2",
        "ibisPaint",
        "MediBang Paint Pro",
        "Rebelle 7",
        "Corel Painter 2023",
        "Blender 4.2",
        "Aseprite",
        "Capture One 23",
        "Firmware Version 1.8.1",
        "Canon EOS R6",
        "iPhone 15 Pro",
        "Imagenomic Portraiture",
        "Fluxus",
        "Dallas studio scanner",
    ],
)
def test_artists_tools_are_not_mistaken_for_generators(software: str) -> None:
    assert vocab.generator_name_in(software) is None


def test_xmp_reads_attributes_elements_resources_and_structures() -> None:
    packet = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF'
        b' xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/"'
        b' xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"'
        b' xmp:CreatorTool="Krita">'
        b'<Iptc4xmpExt:DigitalSourceType rdf:resource="urn:a"/>'
        b"<Iptc4xmpExt:AIPromptInformation><rdf:Alt><rdf:li xml:lang='x-default'>a fox"
        b"</rdf:li></rdf:Alt></Iptc4xmpExt:AIPromptInformation>"
        b"</rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    found = {(p.namespace, p.name): p.value for p in xmp.parse(packet)}
    assert found[(xmp.XMP_BASIC, "CreatorTool")] == "Krita"
    assert found[(xmp.IPTC_EXT, "DigitalSourceType")] == "urn:a"
    assert found[(xmp.IPTC_EXT, "AIPromptInformation")] == "a fox"


def test_xmp_that_does_not_parse_is_read_by_its_property_names() -> None:
    broken = (
        b'<rdf:Description Iptc4xmpExt:AISystemUsed="Gen" xmp:CreatorTool="Tool">'
        b"<Iptc4xmpExt:DigitalSourceType>urn:b</Iptc4xmpExt:DigitalSourceType>"
        b'<Iptc4xmpExt:DigitalSourceType rdf:resource="urn:c"/>'
    )
    found = {(p.name, p.value) for p in xmp.parse(broken)}
    assert {
        ("AISystemUsed", "Gen"),
        ("CreatorTool", "Tool"),
        ("DigitalSourceType", "urn:b"),
        ("DigitalSourceType", "urn:c"),
    } <= found
