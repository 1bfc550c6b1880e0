"""Upload-to-ready for a 24-megapixel JPEG and PNG, beside a plain Pillow implementation.

    .venv/bin/python bench/imaging/bench_pipeline.py [--repeat N]

For each source it runs the real worker path (services.asset_process: copy of the private
original, sandboxed child decoding with libvips, 5 widths x AVIF/WebP/JPEG, owner watermark,
XMP, C2PA signing, storage, publish) and reports wall time, CPU time (the worker process,
which screens the original for AI, plus its child) and the child's peak RSS.
Then the same variant set made the straightforward way with Pillow (open, exif_transpose,
convert RGB, resize LANCZOS per width, save AVIF/WebP/JPEG) in the same process run, and the
ratio. With ``--repeat N`` each is run N times and the medians are printed (the highest
peak memory). It also measures the watermark recovery rate after a 50% downscale + JPEG q75.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
os.environ.setdefault("IMPASTO_DATABASE_URL", "")

WIDTHS = (320, 640, 1080, 1600, 2048)


def pillow_variants(data: bytes) -> None:
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as source:
        image = ImageOps.exif_transpose(source).convert("RGB")
    for width in WIDTHS:
        height = round(image.height * width / image.width)
        small = image.resize((width, height), Image.Resampling.LANCZOS)
        for fmt, options in (("AVIF", {"quality": 55, "speed": 8}), ("WEBP", {"quality": 82}),
                             ("JPEG", {"quality": 85, "optimize": True})):  # fmt: skip
            small.save(io.BytesIO(), format=fmt, **options)


def libvips_variants(path: Path) -> None:
    """The same 15 variants, the libvips way, without stamping (the like-for-like baseline)."""
    import pyvips
    from django.conf import settings

    base = pyvips.Image.thumbnail(str(path), 2048, height=10_000_000, size="down").copy_memory()
    for width in WIDTHS:
        small = base if width == base.width else base.thumbnail_image(width, height=10_000_000)
        small.heifsave_buffer(Q=55, compression="av1", effort=settings.IMPASTO_IMAGING_AVIF_EFFORT)
        small.webpsave_buffer(Q=82, effort=2)
        small.jpegsave_buffer(Q=85, optimize_coding=True, interlace=True)


def _timed(work: Callable[[], None]) -> tuple[float, float]:
    started, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - started, time.process_time() - cpu


def main() -> None:
    # Django is set up here, not at import: multiprocessing's fork server runs this file
    # again (as __mp_main__) in every sandboxed child, and a module-level django.setup()
    # cost each job ~1.8 s of CPU and ~50 MB that the real worker (manage.py, whose code
    # sits under ``if __name__ == "__main__"``) never pays.
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 1

    from impasto.demo.artwork import artwork
    from impasto.imaging import services
    from impasto.imaging.models import MediaAsset
    from impasto.imaging.pipeline import sandbox
    from tests.factories import UserFactory

    setup_test_environment()
    old = connection.creation.create_test_db(verbosity=0)
    try:
        call_command("migrate", verbosity=0)
        user = UserFactory.create()
        source = artwork(42, 6000, 4000)  # 24 megapixels
        samples = {
            "JPEG": bytes(source.jpegsave_buffer(Q=90)),
            "PNG": bytes(source.pngsave_buffer(compression=6)),
        }
        from django.test import override_settings

        tasks = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend",
                             "QUEUES": ["default", "media"]}}  # fmt: skip
        rows = []
        loads = [os.getloadavg()[0]]
        with override_settings(TASKS=tasks):
            for name, data in samples.items():
                path = Path(tempfile.mkstemp(suffix="." + name.lower())[1])
                path.write_bytes(data)
                asset, _ = services.asset_upload(owner=user, path=path)
                services.asset_process(asset_id=asset.pk)  # warm the fork server
                runs = []
                for _ in range(repeat):
                    asset_id = services.asset_upload(owner=user, path=path)[0].pk
                    started, parent_cpu = time.perf_counter(), time.process_time()
                    services.asset_process(asset_id=asset_id)
                    wall = time.perf_counter() - started
                    parent_cpu = time.process_time() - parent_cpu
                    assert MediaAsset.objects.get(pk=asset_id).status == "ready"
                    usage = sandbox.last_usage
                    p_wall, p_cpu = _timed(partial(pillow_variants, data))
                    v_wall, v_cpu = _timed(partial(libvips_variants, path))
                    runs.append((wall, usage["cpu_s"] + parent_cpu, usage["peak_rss_kib"], p_wall,
                                 p_cpu, v_wall, v_cpu, parent_cpu))  # fmt: skip
                    loads.append(os.getloadavg()[0])
                medians = [statistics.median(column) for column in zip(*runs, strict=True)]
                medians[2] = max(run[2] for run in runs)  # peak memory: the worst run
                rows.append((name, len(data), *medians))
                path.unlink()
        print(f"{repeat} run(s) a source, medians (peak memory: the highest); load average "
              f"{min(loads):.1f} to {max(loads):.1f} on {os.cpu_count()} cores")  # fmt: skip
        print("full pipeline (decode, 15 variants, watermark, XMP, C2PA, storage, publish)")
        print(f"{'source':6} {'MB':>5} {'ready s':>8} {'cpu s':>6} {'of it in worker':>15} "
              f"{'peak MB':>8}")  # fmt: skip
        for name, size, wall, cpu, rss, *_rest, parent in rows:
            print(f"{name:6} {size / 1e6:5.1f} {wall:8.2f} {cpu:6.2f} {parent:15.2f} "
                  f"{rss / 1024:8.0f}")  # fmt: skip
        print("\nthe same 15 variants without stamping: libvips vs a plain Pillow implementation")
        print(f"{'source':6} {'vips s':>7} {'vips cpu':>8} {'pillow s':>9} {'pillow cpu':>10} "
              f"{'ratio (cpu)':>11}")  # fmt: skip
        for name, _size, _w, _c, _r, p_wall, p_cpu, v_wall, v_cpu, _parent in rows:
            print(f"{name:6} {v_wall:7.2f} {v_cpu:8.2f} {p_wall:9.2f} {p_cpu:10.2f} "
                  f"{p_cpu / v_cpu:10.1f}x")  # fmt: skip
        print("\nfull pipeline vs Pillow variants (Pillow / pipeline): "
              + ", ".join(f"{r[0]} {r[6] / r[3]:.2f}x cpu, {r[5] / r[2]:.2f}x wall"
                          for r in rows))  # fmt: skip
        print(
            "(cpu s: the worker process (AI screening of the original, storage, database) and"
            " its sandboxed child (decode, variants, stamping); peak MB: of the child)"
        )
        watermark_rate(user)
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)


def watermark_rate(user: object) -> None:
    import pyvips

    from impasto.demo.artwork import artwork
    from impasto.imaging.pipeline import watermark

    key = b"bench-key"
    results: dict[tuple[int, str], list[bool]] = {}
    for seed in range(1, 5):
        source = artwork(seed, 3000, 2000)
        for width in WIDTHS:
            image = source.thumbnail_image(width).copy_memory()
            marked, _ = watermark.embed(image, asset_id=1234567890123456789, key=key)
            for fmt in (".jpg[Q=85]", ".webp[Q=82]", ".avif[Q=55,effort=2]"):
                served = pyvips.Image.new_from_buffer(marked.write_to_buffer(fmt), "")
                scraped = pyvips.Image.new_from_buffer(served.resize(0.5).jpegsave_buffer(Q=75), "")
                for label, candidate in (("as served", served), ("50% + JPEG q75", scraped)):
                    found, _ = watermark.detect(candidate, key=key)
                    results.setdefault((width, label), []).append(found == 1234567890123456789)
    print("\nwatermark recovery (4 images x AVIF/WebP/JPEG per cell)")
    for (width, label), hits in sorted(results.items()):
        print(f"  {width:5} px  {label:15} {sum(hits):3}/{len(hits)}")


if __name__ == "__main__":
    main()
