"""Every strong signal holds the work, every human-made file passes, weak signals ask for review.

Each case is a file built here (tests/protection/detection/builders.py) and scanned through the
public entry point with the detectors configured in settings, as the upload task will.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import piexif
import piexif.helper
import pytest
from PIL import Image

from impasto.protection.detection import Strength, Verdict, scan
from impasto.protection.detection import vocab as v
from tests.protection.detection import builders as b

pytestmark = pytest.mark.django_db


def _forge_webp() -> bytes:
    """Forge/A1111 WebP output: parameters in EXIF UserComment."""
    comment = piexif.helper.UserComment.dump(b.A1111_PARAMETERS, encoding="unicode")
    return b.encode(
        b.painting(2, 128),
        "WEBP",
        quality=90,
        exif=piexif.dump({"Exif": {piexif.ExifIFD.UserComment: comment}}),
    )


def _little_endian_user_comment_jpeg() -> bytes:
    raw = b"UNICODE\x00" + b.A1111_PARAMETERS.encode("utf_16_le")
    return b.jpeg_with_exif({"Exif": {piexif.ExifIFD.UserComment: raw}})


STRONG_CASES: dict[str, tuple[Callable[[], bytes], str, str]] = {
    # name: (builder, signal, a fragment the detail must contain)
    "c2pa-trained-jpeg": (
        lambda: b.c2pa_signed(b.c2pa_manifest("trainedAlgorithmicMedia")),
        v.C2PA_AI,
        "AI (declared): c2pa.created with digitalSourceType trainedAlgorithmicMedia",
    ),
    "c2pa-trained-png": (
        lambda: b.c2pa_signed(b.c2pa_manifest("trainedAlgorithmicMedia"), fmt="PNG"),
        v.C2PA_AI,
        "validation Valid (signingCredential.untrusted)",
    ),
    "c2pa-trained-webp": (
        lambda: b.c2pa_signed(b.c2pa_manifest("trainedAlgorithmicMedia"), fmt="WEBP"),
        v.C2PA_AI,
        "trainedAlgorithmicMedia",
    ),
    "c2pa-composite-generated": (
        lambda: b.c2pa_signed(b.c2pa_manifest("compositeWithTrainedAlgorithmicMedia"), fmt="PNG"),
        v.C2PA_AI,
        "compositeWithTrainedAlgorithmicMedia",
    ),
    "c2pa-ai-ingredient-opened-by-a-person": (
        lambda: b.c2pa_opened_from(b.c2pa_signed(b.c2pa_manifest("trainedAlgorithmicMedia"))),
        v.C2PA_AI,
        "in the ingredient manifest",
    ),
    "c2pa-iptc-assertion": (
        lambda: b.c2pa_signed(
            b.c2pa_manifest(
                "digitalCreation",
                extra_assertions=[
                    {
                        "label": "stds.iptc",
                        "data": {
                            "@context": {"Iptc4xmpExt": b.IPTC_EXT},
                            "Iptc4xmpExt:DigitalSourceType": (
                                "https://cv.iptc.org/newscodes/digitalsourcetype/"
                                "trainedAlgorithmicMedia"
                            ),
                        },
                    }
                ],
            )
        ),
        v.C2PA_AI,
        "stds.iptc DigitalSourceType trainedAlgorithmicMedia",
    ),
    "xmp-source-type-jpeg": (
        lambda: b.with_xmp(b.xmp_source_type("trainedAlgorithmicMedia")),
        v.IPTC_AI,
        "XMP DigitalSourceType trainedAlgorithmicMedia",
    ),
    "xmp-source-type-https-slash-webp": (
        lambda: b.with_xmp(
            b.xmp_source_type("trainedAlgorithmicMedia", scheme="https", trailing_slash=True),
            "WEBP",
        ),
        v.IPTC_AI,
        "trainedAlgorithmicMedia",
    ),
    "xmp-composite-generated-png": (
        lambda: b.with_xmp(b.xmp_source_type("compositeWithTrainedAlgorithmicMedia"), "PNG"),
        v.IPTC_AI,
        "compositeWithTrainedAlgorithmicMedia",
    ),
    "xmp-source-type-element-form": (
        lambda: b.with_xmp(
            b.xmp_packet(
                elements="<Iptc4xmpExt:DigitalSourceType>"
                "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
                "</Iptc4xmpExt:DigitalSourceType>"
            )
        ),
        v.IPTC_AI,
        "trainedAlgorithmicMedia",
    ),
    "xmp-source-type-resource-form": (
        lambda: b.with_xmp(
            b.xmp_packet(
                elements="<Iptc4xmpExt:DigitalSourceType rdf:resource="
                "'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia'/>"
            )
        ),
        v.IPTC_AI,
        "trainedAlgorithmicMedia",
    ),
    "xmp-ai-system-used": (
        lambda: b.with_xmp(b.xmp_packet({"Iptc4xmpExt:AISystemUsed": "FakeGen"})),
        v.IPTC_AI_SYSTEM,
        "AISystemUsed='FakeGen'",
    ),
    "xmp-ai-prompt-information": (
        lambda: b.with_xmp(b.xmp_packet({"Iptc4xmpExt:AIPromptInformation": "a castle"}), "PNG"),
        v.IPTC_AI_SYSTEM,
        "AIPromptInformation",
    ),
    "a1111-png": (b.a1111_png, v.GENERATOR_PARAMETERS, "Steps: 20, Sampler: Euler a"),
    "a1111-png-compressed-itxt": (
        lambda: b.png_with_text(
            {"parameters": b.A1111_PARAMETERS},
            compressed=("parameters",),
            international=("parameters",),
        ),
        v.GENERATOR_PARAMETERS,
        "PNG iTXt 'parameters'",
    ),
    "a1111-png-text-after-idat": (
        lambda: b.png_with_text_after_idat("parameters", b.A1111_PARAMETERS),
        v.GENERATOR_PARAMETERS,
        "AUTOMATIC1111",
    ),
    "a1111-jpeg-user-comment": (b.a1111_jpeg, v.GENERATOR_PARAMETERS, "EXIF UserComment"),
    "a1111-jpeg-user-comment-little-endian": (
        _little_endian_user_comment_jpeg,
        v.GENERATOR_PARAMETERS,
        "EXIF UserComment",
    ),
    "forge-webp-user-comment": (_forge_webp, v.GENERATOR_PARAMETERS, "EXIF UserComment"),
    "comfyui": (b.comfy_png, v.GENERATOR_PARAMETERS, "ComfyUI node graph"),
    "comfyui-workflow-over-pillow-limit": (
        b.comfy_big_png,
        v.GENERATOR_PARAMETERS,
        "ComfyUI node graph in PNG zTXt 'workflow', read in part",
    ),
    "novelai-chunks": (b.novelai_png, v.GENERATOR_PARAMETERS, "NovelAI parameters"),
    "novelai-stealth-compressed": (b.novelai_stealth_png, v.NOVELAI_STEALTH, "stealth_pngcomp"),
    "novelai-stealth-plain": (
        lambda: b.novelai_stealth_png(compressed=False),
        v.NOVELAI_STEALTH,
        "Software='NovelAI'",
    ),
    "invokeai": (b.invokeai_png, v.GENERATOR_PARAMETERS, "InvokeAI metadata"),
    "invokeai-2": (
        lambda: b.png_with_text({"sd-metadata": json.dumps({"model": "stable diffusion"})}),
        v.GENERATOR_PARAMETERS,
        "InvokeAI 2 metadata",
    ),
    "invokeai-dream": (
        lambda: b.png_with_text({"Dream": '"a fox" -s 50 -S 1234 -W 512 -H 512 -C 7.5'}),
        v.GENERATOR_PARAMETERS,
        "InvokeAI 'dream' command",
    ),
    "fooocus": (b.fooocus_png, v.GENERATOR_PARAMETERS, "Fooocus"),
    "swarmui": (
        lambda: b.png_with_text(
            {"parameters": json.dumps({"sui_image_params": {"prompt": "x", "steps": 20}})}
        ),
        v.GENERATOR_PARAMETERS,
        "SwarmUI",
    ),
    "tensor-art": (
        lambda: b.png_with_text({"generation_data": json.dumps({"prompt": "x"})}),
        v.GENERATOR_PARAMETERS,
        "Tensor.Art",
    ),
    "midjourney": (b.midjourney_png, v.MIDJOURNEY, "heuristic"),
    "sdxl-watermark": (
        lambda: b.encode(b.watermarked(b.SDXL_BITS), "PNG"),
        v.SD_WATERMARK,
        "SDXL watermark: 48/48",
    ),
    "sd1-watermark": (
        lambda: b.encode(b.watermarked(b.SD1_BITS), "PNG"),
        v.SD_WATERMARK,
        "SD 1.x watermark",
    ),
    "sd2-watermark": (
        lambda: b.encode(b.watermarked(b.SD2_BITS), "PNG"),
        v.SD_WATERMARK,
        "SD 2.x watermark",
    ),
}


@pytest.mark.parametrize("case", STRONG_CASES)
def test_strong_signal_gives_the_ai_verdict(case: str) -> None:
    build, signal, fragment = STRONG_CASES[case]
    result = scan(build(), name=case)
    assert result.verdict == Verdict.AI
    matching = [e for e in result.evidence if e.signal == signal and e.strength is Strength.STRONG]
    assert matching, result.evidence
    assert any(fragment in e.detail for e in matching), [e.detail for e in matching]
    assert not result.errors
    assert all(e.signal in v.SIGNAL_LABELS for e in result.evidence)


def test_pillow_alone_cannot_open_the_big_comfyui_file() -> None:
    """The reason pngchunks exists: Pillow refuses the file outright."""
    import io

    with pytest.raises(ValueError, match="Decompressed data too large"):
        Image.open(io.BytesIO(b.comfy_big_png())).load()


@pytest.mark.parametrize("name", b.HUMAN_MADE)
def test_human_made_file_is_clear_with_no_evidence(name: str) -> None:
    result = scan(b.HUMAN_MADE[name](), name=name)
    assert result.verdict == Verdict.CLEAR
    assert result.evidence == ()


def test_a_drawing_apps_json_comment_is_not_mistaken_for_novelai() -> None:
    comment = {"width": 2480, "height": 3508, "scale": 1.0, "strength": 0.4, "layers": 12}
    result = scan(b.png_with_text({"Comment": json.dumps(comment)}))
    assert result.evidence == ()


def test_a_stripped_copy_of_an_ai_file_is_clear() -> None:
    """A plain re-save drops the manifest: absence of a signal proves nothing either way."""
    import io

    signed = b.c2pa_signed(b.c2pa_manifest("trainedAlgorithmicMedia"))
    resaved = b.encode(Image.open(io.BytesIO(signed)), "JPEG", quality=90)
    assert scan(signed).verdict == Verdict.AI
    assert scan(resaved).verdict == Verdict.CLEAR


@pytest.mark.parametrize("code", ["algorithmicMedia", "algorithmicallyEnhanced", "humanEdits"])
def test_non_generative_source_types_are_not_evidence(code: str) -> None:
    assert scan(b.with_xmp(b.xmp_source_type(code))).evidence == ()
    assert scan(b.c2pa_signed(b.c2pa_manifest(code))).evidence == ()


WEAK_CASES: dict[str, tuple[Callable[[], bytes], str]] = {
    "exif-software-midjourney": (
        lambda: b.jpeg_with_exif({"0th": {piexif.ImageIFD.Software: b"Midjourney"}}),
        v.SOFTWARE_NAME,
    ),
    "xmp-creator-tool-firefly": (
        lambda: b.with_xmp(b.xmp_packet({"xmp:CreatorTool": "Adobe Firefly Image 3"})),
        v.SOFTWARE_NAME,
    ),
    "png-software-novelai-alone": (
        lambda: b.png_with_text({"Software": "NovelAI"}),
        v.SOFTWARE_NAME,
    ),
    "c2pa-generator-name-without-ai-source-type": (
        lambda: b.c2pa_signed(
            b.c2pa_manifest("digitalCreation", agent="DALL-E 3", generator="ChatGPT")
        ),
        v.SOFTWARE_NAME,
    ),
    "xmp-composite-synthetic": (
        lambda: b.with_xmp(b.xmp_source_type("compositeSynthetic")),
        v.IPTC_SYNTHETIC,
    ),
    "c2pa-composite-synthetic": (
        lambda: b.c2pa_signed(b.c2pa_manifest("compositeSynthetic", agent="Blender 4.2")),
        v.C2PA_SYNTHETIC,
    ),
    "midjourney-job-id-without-flags": (
        lambda: b.png_with_text({"Description": "Job ID: 3f2a9c4e-1b7d-4e8a-9c0f-5d6e7f8a9b0c"}),
        v.MIDJOURNEY,
    ),
    "parameters-in-no-known-layout": (
        lambda: b.png_with_text({"parameters": "exposure +0.3, contrast 12"}),
        v.GENERATOR_METADATA_LIKE,
    ),
    "workflow-chunk-from-another-node-tool": (
        lambda: b.png_with_text({"workflow": json.dumps({"nodes": [{"id": 1, "op": "blur"}]})}),
        v.GENERATOR_METADATA_LIKE,
    ),
    "prompt-chunk-that-is-not-a-graph": (
        lambda: b.png_with_text({"prompt": "draw a cat"}),
        v.GENERATOR_METADATA_LIKE,
    ),
}


@pytest.mark.parametrize("case", WEAK_CASES)
def test_weak_signal_alone_asks_for_review(case: str) -> None:
    build, signal = WEAK_CASES[case]
    result = scan(build(), name=case)
    assert result.verdict == Verdict.REVIEW
    assert {e.strength for e in result.evidence} == {Strength.WEAK}
    assert signal in {e.signal for e in result.evidence}
    assert all(e.signal in v.SIGNAL_LABELS for e in result.evidence)


def test_result_serialises_to_the_documented_shape() -> None:
    result = scan(b.novelai_png()).as_dict()
    assert result["verdict"] == "ai"
    assert {"signal": v.SOFTWARE_NAME, "strength": "weak"}.items() <= result["evidence"][-1].items()
    assert all(set(item) == {"signal", "detail", "strength"} for item in result["evidence"])
    json.dumps(result)  # JSON-ready as is


def test_the_stealth_check_is_skipped_past_its_pixel_cap() -> None:
    from impasto.protection.detection import Subject
    from impasto.protection.detection.detectors.stealth import NovelAiStealthDetector

    subject = Subject(b.novelai_stealth_png(size=256))
    assert list(NovelAiStealthDetector(max_pixels=256 * 255).detect(subject)) == []
    assert "_pixels" not in vars(subject)
    assert list(NovelAiStealthDetector().detect(subject))
