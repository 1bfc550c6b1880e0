"""The bounded PNG text reader: limits, late chunks, and files Pillow refuses."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
from PIL import Image

from impasto.protection.detection import pngchunks
from impasto.protection.detection.subject import Subject
from tests.protection.detection import builders as b


def _text(meta: pngchunks.PngMetadata, keyword: str) -> str:
    chunk = meta.text(keyword)
    assert chunk is not None
    return chunk.text


def test_reads_text_itxt_ztxt_and_chunks_after_idat() -> None:
    data = b.png_with_text(
        {"plain": "one", "zipped": "two" * 100, "intl": "trois ✓"},
        compressed=("zipped",),
        international=("intl",),
    )
    late = b.png_with_text_after_idat("after", "four")
    meta = pngchunks.read_png_metadata(data)
    assert [(c.keyword, c.chunk_type) for c in meta.texts] == [
        ("plain", "tEXt"),
        ("zipped", "zTXt"),
        ("intl", "iTXt"),
    ]
    assert _text(meta, "zipped") == "two" * 100
    assert _text(meta, "INTL") == "trois ✓"  # keyword lookup falls back to any case
    assert _text(pngchunks.read_png_metadata(late), "after") == "four"


def test_a_compressed_chunk_is_inflated_only_up_to_the_cap() -> None:
    data = b.png_with_text({"workflow": "x" * (3 << 20)}, compressed=("workflow",))
    chunk = pngchunks.read_png_metadata(data, max_text_bytes=4096).text("workflow")
    assert chunk is not None
    assert chunk.truncated
    assert len(chunk.text) == 4096


def test_total_text_budget_and_chunk_count_are_capped() -> None:
    many = b.png_with_text({f"k{i}": "y" * 1000 for i in range(20)})
    meta = pngchunks.read_png_metadata(many, max_total_text_bytes=5000)
    assert sum(len(c.text) for c in meta.texts) <= 5000
    assert meta.text_chunks_skipped > 0


def test_exif_and_c2pa_chunks_are_noticed() -> None:
    png = b.c2pa_signed(b.c2pa_manifest("digitalCapture"), fmt="PNG")
    assert pngchunks.read_png_metadata(png).has_c2pa
    with_exif = b.encode(
        b.painting(1, 64), "PNG", exif=b"Exif\x00\x00" + b"MM\x00*\x00\x00\x00\x08\x00\x00"
    )
    assert pngchunks.read_png_metadata(with_exif).exif is not None


def test_truncated_and_malformed_files_do_not_raise() -> None:
    data = b.png_with_text({"parameters": "Steps: 20, Sampler: Euler"})
    for cut in (9, 20, 40, len(data) // 2, len(data) - 3):
        pngchunks.read_png_metadata(data[:cut])
    bogus_length = data[:8] + struct.pack(">I", 0xFFFFFFF0) + b"tEXt" + b"x" * 20
    assert pngchunks.read_png_metadata(bogus_length).texts == []
    no_keyword = b"\x00no keyword"
    chunk = struct.pack(">I", len(no_keyword)) + b"tEXt" + no_keyword + struct.pack(">I", 0)
    texts = pngchunks.read_png_metadata(data[:33] + chunk + data[33:]).texts
    assert [c.keyword for c in texts] == ["parameters"]
    broken_zip = b"k\x00\x00" + b"not zlib at all"
    chunk = struct.pack(">I", len(broken_zip)) + b"zTXt" + broken_zip + struct.pack(">I", 0)
    broken = pngchunks.read_png_metadata(data[:33] + chunk + data[33:]).text("k")
    assert broken is not None
    assert broken.truncated


def test_pillow_gets_the_same_pixels_without_the_text() -> None:
    data = b.comfy_big_png()
    stripped = pngchunks.without_text_chunks(data)
    assert len(stripped) < len(data)
    assert pngchunks.read_png_metadata(stripped).texts == []
    subject = Subject(data)
    reference = np.asarray(b.painting(3, 128))
    assert np.array_equal(subject.pixels(), reference)


def test_many_tiny_chunks_are_walked_without_error() -> None:
    """A hostile file of thousands of empty chunks before the pixels."""
    base = b.encode(b.painting(1, 32), "PNG")
    tiny = b"".join(
        struct.pack(">I", 0) + b"teSt" + struct.pack(">I", zlib.crc32(b"teSt")) for _ in range(5000)
    )
    data = base[:33] + tiny + base[33:]
    assert pngchunks.read_png_metadata(data).texts == []
    assert Image.open(io.BytesIO(pngchunks.without_text_chunks(data))).size == (32, 32)
