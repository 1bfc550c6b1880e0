"""Image files that carry (or do not carry) each AI signal, built by code in the test.

Reusable by any test that needs a realistic upload: the image pipeline (an AI file must be
held, a camera photo published) and moderation. Every builder returns the file's bytes; none
is committed. Layouts follow ../shared/ANTI-AI.md sections A and D.
"""

from __future__ import annotations

import datetime
import gzip
import io
import json
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import c2pa
import numpy as np
import piexif
import piexif.helper
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from PIL import Image, ImageFilter, PngImagePlugin

from impasto.core.watermarking import WatermarkEncoder

DST = "http://cv.iptc.org/newscodes/digitalsourcetype/"
IPTC_EXT = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"

# --- pictures -------------------------------------------------------------------------------


def painting(seed: int = 1, size: int = 512) -> Image.Image:
    """A textured RGB picture (smooth colour noise): what watermarks and hashes need."""
    rng = np.random.default_rng(seed)
    noise = (rng.random((max(size // 16, 2), max(size // 16, 2), 3)) * 255).astype(np.uint8)
    return (
        Image.fromarray(noise)
        .resize((size, size), Image.Resampling.BICUBIC)
        .filter(ImageFilter.GaussianBlur(2))
    )


def flat(size: int = 512, colour: tuple[int, int, int] = (214, 96, 60)) -> Image.Image:
    """A flat-colour picture, like a minimalist illustration."""
    return Image.new("RGB", (size, size), colour)


def encode(image: Image.Image, fmt: str = "PNG", **options: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def plain_png(size: int = 256) -> bytes:
    """A PNG with no metadata at all."""
    return encode(painting(7, size), "PNG")


# --- PNG text chunks --------------------------------------------------------------------------

A1111_PARAMETERS = (
    "a castle on a hill, golden hour, highly detailed\n"
    "Negative prompt: blurry, lowres\n"
    "Steps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1234567, Size: 512x512,"
    " Model hash: 6ce0161689, Model: v1-5-pruned-emaonly, Version: v1.10.1"
)
COMFY_PROMPT = {
    "3": {
        "class_type": "KSampler",
        "inputs": {"seed": 1, "steps": 20, "cfg": 8, "sampler_name": "euler", "model": ["4", 0]},
    },
    "4": {
        "class_type": "CheckpointLoaderSimple",
        "inputs": {"ckpt_name": "sd_xl_base.safetensors"},
    },
}
COMFY_WORKFLOW = {"last_node_id": 9, "nodes": [{"id": 3, "type": "KSampler"}], "links": []}
NOVELAI_COMMENT: dict[str, Any] = {
    "prompt": "1girl, watercolor",
    "steps": 28,
    "height": 1216,
    "width": 832,
    "scale": 5,
    "uc": "lowres",
    "seed": 1,
    "sampler": "k_euler_ancestral",
}
FOOOCUS_PARAMETERS = {
    "Prompt": "a fox in the snow",
    "Negative Prompt": "",
    "Styles": "['Fooocus V2']",
    "Performance": "Speed",
    "Resolution": "(1024, 1024)",
    "Version": "Fooocus v2.5.5",
}
MIDJOURNEY_DESCRIPTION = (
    "a lighthouse in a storm, oil painting --ar 3:2 --v 6.1 --stylize 250"
    " Job ID: 3f2a9c4e-1b7d-4e8a-9c0f-5d6e7f8a9b0c"
)


def png_with_text(
    texts: dict[str, str],
    *,
    compressed: tuple[str, ...] = (),
    international: tuple[str, ...] = (),
    image: Image.Image | None = None,
) -> bytes:
    """A PNG with these text chunks (tEXt; zTXt for ``compressed``; iTXt for ``international``)."""
    info = PngImagePlugin.PngInfo()
    for key, value in texts.items():
        if key in international:
            info.add_itxt(key, value, zip=key in compressed)
        else:
            info.add_text(key, value, zip=key in compressed)
    return encode(image or painting(3, 128), "PNG", pnginfo=info)


def _chunk(ctype: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + ctype + data + struct.pack(">I", zlib.crc32(ctype + data))


def png_with_text_after_idat(keyword: str, text: str) -> bytes:
    """A PNG whose tEXt chunk sits after IDAT (Pillow shows it only after decoding pixels)."""
    data = encode(painting(4, 128), "PNG")
    iend = data.rindex(b"IEND") - 4
    return (
        data[:iend]
        + _chunk(b"tEXt", keyword.encode("latin-1") + b"\0" + text.encode())
        + data[iend:]
    )


def a1111_png() -> bytes:
    return png_with_text({"parameters": A1111_PARAMETERS})


def comfy_png() -> bytes:
    return png_with_text(
        {"prompt": json.dumps(COMFY_PROMPT), "workflow": json.dumps(COMFY_WORKFLOW)}
    )


def comfy_big_png(mebibytes: int = 2) -> bytes:
    """ComfyUI with a workflow too big for Pillow's zTXt limit (its ValueError path)."""
    nodes = [
        {"id": i, "type": "CLIPTextEncode", "widgets_values": [f"n{i}" * 20]}
        for i in range(mebibytes * 9000)
    ]
    workflow = json.dumps({"last_node_id": len(nodes), "nodes": nodes, "links": []})
    assert len(workflow) > mebibytes * (1 << 20)
    return png_with_text({"workflow": workflow}, compressed=("workflow",))


def novelai_png() -> bytes:
    return png_with_text(
        {
            "Title": "AI generated image",
            "Description": NOVELAI_COMMENT["prompt"],
            "Software": "NovelAI",
            "Source": "NovelAI Diffusion V4.5 4BDE2A90",
            "Generation time": "3.2",
            "Comment": json.dumps(NOVELAI_COMMENT),
        }
    )


def invokeai_png() -> bytes:
    return png_with_text(
        {"invokeai_metadata": json.dumps({"generation_mode": "txt2img", "steps": 30, "seed": 1})}
    )


def fooocus_png() -> bytes:
    return png_with_text(
        {"parameters": json.dumps(FOOOCUS_PARAMETERS), "fooocus_scheme": "fooocus"}
    )


def midjourney_png() -> bytes:
    return png_with_text(
        {
            "Description": MIDJOURNEY_DESCRIPTION,
            "Author": "somebody",
            "Creation Time": "2026-10-01T12:00:00Z",
        }
    )


# --- NovelAI stealth (alpha LSB) --------------------------------------------------------------


def novelai_stealth_png(
    payload: dict[str, Any] | None = None, *, compressed: bool = True, size: int = 256
) -> bytes:
    """RGBA PNG whose alpha lowest bits hold NovelAI's record, column by column."""
    record = payload or {
        "Software": "NovelAI",
        "Source": "NovelAI Diffusion V4.5 4BDE2A90",
        "Comment": json.dumps(NOVELAI_COMMENT),
    }
    body = json.dumps(record).encode()
    if compressed:
        body = gzip.compress(body)
    magic = b"stealth_pngcomp" if compressed else b"stealth_pnginfo"
    message = magic + struct.pack(">I", len(body) * 8) + body
    bits = np.unpackbits(np.frombuffer(message, dtype=np.uint8))
    rgba = np.asarray(painting(5, size).convert("RGBA")).copy()
    alpha_t = np.full((size, size), 255, dtype=np.uint8)  # [x, y]: column-major order
    flat_alpha = alpha_t.reshape(-1)
    assert bits.size <= flat_alpha.size
    flat_alpha[: bits.size] = 254 | bits
    rgba[:, :, 3] = alpha_t.T
    return encode(Image.fromarray(rgba, "RGBA"), "PNG")


# --- EXIF and XMP -------------------------------------------------------------------------------


def jpeg_with_exif(
    exif: dict[str, Any], *, image: Image.Image | None = None, xmp: bytes | None = None
) -> bytes:
    options: dict[str, Any] = {"quality": 92, "exif": piexif.dump(exif)}
    if xmp is not None:
        options["xmp"] = xmp
    return encode(image or painting(6, 256), "JPEG", **options)


def a1111_jpeg() -> bytes:
    """A1111/Forge JPEG: parameters in EXIF UserComment, UTF-16 after a UNICODE prefix."""
    comment = piexif.helper.UserComment.dump(A1111_PARAMETERS, encoding="unicode")
    return jpeg_with_exif({"Exif": {piexif.ExifIFD.UserComment: comment}})


def xmp_packet(attributes: dict[str, str] | None = None, elements: str = "") -> bytes:
    """An XMP packet with IPTC Extension (and other) properties as attributes and elements."""
    attrs = "".join(f' {key}="{value}"' for key, value in (attributes or {}).items())
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about=""'
        f' xmlns:Iptc4xmpExt="{IPTC_EXT}"'
        ' xmlns:xmp="http://ns.adobe.com/xap/1.0/"'
        ' xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"'
        ' xmlns:stEvt="http://ns.adobe.com/xap/1.0/sType/ResourceEvent#"'
        ' xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        f"{attrs}>{elements}</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    ).encode()


def xmp_source_type(code: str, *, scheme: str = "http", trailing_slash: bool = False) -> bytes:
    uri = f"{scheme}://cv.iptc.org/newscodes/digitalsourcetype/{code}" + (
        "/" if trailing_slash else ""
    )
    return xmp_packet({"Iptc4xmpExt:DigitalSourceType": uri})


def with_xmp(xmp: bytes, fmt: str = "JPEG", image: Image.Image | None = None) -> bytes:
    """A JPEG, WebP or PNG (iTXt ``XML:com.adobe.xmp``) carrying this XMP packet."""
    picture = image or painting(8, 256)
    if fmt == "PNG":
        info = PngImagePlugin.PngInfo()
        info.add_itxt("XML:com.adobe.xmp", xmp.decode())
        return encode(picture, "PNG", pnginfo=info)
    return encode(picture, fmt, xmp=xmp, quality=92)


# --- invisible watermarks ---------------------------------------------------------------------

SDXL_BITS = [int(b) for b in bin(0xB3EC907BB19E)[2:]]
SD1_BITS = [int(x) for c in b"StableDiffusionV1" for x in format(c, "08b")]
SD2_BITS = [int(x) for c in b"SDV2" for x in format(c, "08b")]


def watermarked(bits: list[int], *, size: int = 512, seed: int = 11) -> Image.Image:
    """A textured picture with Stable Diffusion's DWT-DCT watermark, as its scripts embed it."""
    bgr = np.asarray(painting(seed, size))[:, :, ::-1].copy()
    encoder = WatermarkEncoder()
    encoder.set_watermark("bits", bits)
    marked = encoder.encode(bgr, "dwtDct")
    return Image.fromarray(np.ascontiguousarray(marked[:, :, ::-1]))


# --- C2PA -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SigningChain:
    chain_pem: bytes  # leaf, then CA
    key_pem: bytes  # PKCS#8
    ca_pem: bytes


@cache
def signing_chain() -> SigningChain:
    """A throwaway ES256 CA and signer, as C2PA's SDK accepts (ANTI-AI.md A1)."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "Impasto test CA"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Impasto tests"),
        ]
    )
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.COMMON_NAME, "Impasto test signer"),
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Impasto tests"),
                ]
            )
        )
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    return SigningChain(
        chain_pem=leaf.public_bytes(pem) + ca.public_bytes(pem),
        key_pem=key.private_bytes(
            pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ),
        ca_pem=ca.public_bytes(pem),
    )


def c2pa_manifest(
    source_type: str | None,
    *,
    action: str = "c2pa.created",
    agent: str = "FakeGen 1.0",
    generator: str = "fixture-maker",
    extra_assertions: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    entry: dict[str, Any] = {"action": action, "softwareAgent": {"name": agent}}
    if source_type is not None:
        entry["digitalSourceType"] = DST + source_type
    return {
        "claim_generator_info": [{"name": generator, "version": "1.0"}],
        "title": "fixture",
        "assertions": [
            {"label": "c2pa.actions", "data": {"actions": [entry]}},
            *(extra_assertions or []),
        ],
    }


def c2pa_signed(
    manifest: dict[str, Any],
    *,
    fmt: str = "JPEG",
    image: Image.Image | None = None,
    ingredient: bytes | None = None,
    ingredient_mime: str = "image/jpeg",
) -> bytes:
    """``image`` (a painting by default) signed with ``manifest``; ``ingredient`` is added as
    the parent the manifest's actions point at (the "a person opened an AI image" case)."""
    mime = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}[fmt]
    source = encode(image or painting(9, 256), fmt, **({"quality": 90} if fmt == "JPEG" else {}))
    chain = signing_chain()
    info = c2pa.C2paSignerInfo(
        alg=c2pa.C2paSigningAlg.ES256,
        sign_cert=chain.chain_pem,
        private_key=chain.key_pem,
        ta_url=None,
    )
    out = io.BytesIO()
    with c2pa.Signer.from_info(info) as signer, c2pa.Builder(json.dumps(manifest)) as builder:
        if ingredient is not None:
            builder.add_ingredient(
                json.dumps({"title": "parent", "relationship": "parentOf", "label": "parent"}),
                ingredient_mime,
                io.BytesIO(ingredient),
            )
        builder.sign(signer, mime, io.BytesIO(source), out)
    return out.getvalue()


def c2pa_opened_from(parent: bytes, *, editor: str = "Adobe Photoshop 26.0") -> bytes:
    """A person's edit of ``parent`` in a C2PA-aware editor: ``c2pa.opened`` on the ingredient."""
    manifest = {
        "claim_generator_info": [{"name": editor, "version": "26.0"}],
        "title": "edited",
        "assertions": [
            {
                "label": "c2pa.actions",
                "data": {
                    "actions": [
                        {"action": "c2pa.opened", "parameters": {"ingredientIds": ["parent"]}},
                        {"action": "c2pa.color_adjustments"},
                    ]
                },
            }
        ],
    }
    return c2pa_signed(manifest, image=painting(10, 256), ingredient=parent)


# --- human-made files -------------------------------------------------------------------------


def _rational(value: float) -> tuple[int, int]:
    return (round(value * 10000), 10000)


def camera_jpeg() -> bytes:
    """A camera photo: Make, Model, lens, exposure and GPS in EXIF."""
    exif = {
        "0th": {
            piexif.ImageIFD.Make: b"Canon",
            piexif.ImageIFD.Model: b"Canon EOS R6",
            piexif.ImageIFD.Software: b"Firmware Version 1.8.1",
            piexif.ImageIFD.DateTime: b"2026:05:04 10:11:12",
        },
        "Exif": {
            piexif.ExifIFD.ExposureTime: (1, 250),
            piexif.ExifIFD.FNumber: (56, 10),
            piexif.ExifIFD.ISOSpeedRatings: 200,
            piexif.ExifIFD.LensModel: b"RF24-105mm F4 L IS USM",
            piexif.ExifIFD.UserComment: piexif.helper.UserComment.dump("harbour, morning"),
        },
        "GPS": {
            piexif.GPSIFD.GPSLatitudeRef: b"N",
            piexif.GPSIFD.GPSLatitude: ((48, 1), (51, 1), _rational(24.0)),
            piexif.GPSIFD.GPSLongitudeRef: b"E",
            piexif.GPSIFD.GPSLongitude: ((2, 1), (21, 1), _rational(8.0)),
        },
    }
    return jpeg_with_exif(exif, image=painting(12, 384))


def photoshop_jpeg() -> bytes:
    """A Photoshop export: Software, CreatorTool, history, and DigitalSourceType digitalCreation."""
    xmp = xmp_packet(
        {
            "xmp:CreatorTool": "Adobe Photoshop 26.0 (Macintosh)",
            "photoshop:ColorMode": "3",
            "Iptc4xmpExt:DigitalSourceType": DST + "digitalCreation",
        },
        elements=(
            "<xmpMM:History><rdf:Seq><rdf:li rdf:parseType='Resource'>"
            "<stEvt:action>saved</stEvt:action>"
            "<stEvt:softwareAgent>Adobe Photoshop 26.0 (Macintosh)</stEvt:softwareAgent>"
            "</rdf:li></rdf:Seq></xmpMM:History>"
        ),
    )
    exif = {"0th": {piexif.ImageIFD.Software: b"Adobe Photoshop 26.0 (Macintosh)"}}
    return jpeg_with_exif(exif, image=painting(13, 384), xmp=xmp)


def krita_png() -> bytes:
    """A Krita export: Software and an XMP CreatorTool, a painter's own description."""
    xmp = xmp_packet({"xmp:CreatorTool": "Krita 5.2.9"}).decode()
    return png_with_text(
        {
            "Software": "Krita 5.2.9",
            "Description": "Study of the harbour at dawn. Steps: sketch, wash, glazing.",
            "XML:com.adobe.xmp": xmp,
        },
        international=("XML:com.adobe.xmp",),
        image=painting(14, 384),
    )


def procreate_jpeg() -> bytes:
    exif = {"0th": {piexif.ImageIFD.Software: b"Procreate 5X"}}
    return jpeg_with_exif(exif, image=painting(15, 384))


def clip_studio_png() -> bytes:
    return png_with_text(
        {"Software": "CLIP STUDIO PAINT", "Comment": "page 12, inks and flats"},
        image=painting(16, 384),
    )


def c2pa_capture_jpeg() -> bytes:
    """A camera's Content Credentials: c2pa.created from digitalCapture."""
    return c2pa_signed(
        c2pa_manifest("digitalCapture", agent="Leica M11-P", generator="Leica Camera AG")
    )


def c2pa_digital_creation_png() -> bytes:
    """An illustration app's Content Credentials: c2pa.created from digitalCreation."""
    return c2pa_signed(
        c2pa_manifest("digitalCreation", agent="Adobe Fresco 6", generator="Adobe Fresco"),
        fmt="PNG",
    )


#: Every human-made case that must come out ``clear``: file name -> builder.
HUMAN_MADE: dict[str, Callable[[], bytes]] = {
    "camera.jpg": camera_jpeg,
    "photoshop.jpg": photoshop_jpeg,
    "krita.png": krita_png,
    "procreate.jpg": procreate_jpeg,
    "clip-studio.png": clip_studio_png,
    "c2pa-capture.jpg": c2pa_capture_jpeg,
    "c2pa-digital-creation.png": c2pa_digital_creation_png,
    "plain.png": plain_png,
    "flat-illustration.png": lambda: encode(flat(768), "PNG"),
    "scan.webp": lambda: encode(painting(17, 512), "WEBP", lossless=True),
}
