"""Run one decode-and-encode job in a child process with a memory and a time limit.

A decompression bomb that slips past acceptance, a decoder that loops, or a segfault in a C
library kills only the child: the worker loop reads the child's exit and records a failed
attempt. Children are forked from a ``forkserver`` that preloads the imaging modules, so a
job starts in milliseconds, from a clean process with no database connection and no libvips
threads inherited from the worker.
"""

from __future__ import annotations

import ctypes
import json
import multiprocessing
import os
import resource
import signal
import traceback
from dataclasses import dataclass
from multiprocessing.context import ForkServerContext
from pathlib import Path

import pyvips

from impasto.imaging.pipeline import derive, inspect

# scipy.fftpack: imagehash imports it lazily inside phash, which would cost every job ~0.4 s.
PRELOAD = ["impasto.imaging.pipeline.derive", "impasto.imaging.pipeline.inspect", "scipy.fftpack"]
_context: ForkServerContext | None = None


class JobFailed(Exception):
    """The job did not produce variants. ``permanent``: retrying would fail the same way."""

    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


@dataclass(frozen=True)
class Limits:
    memory_mb: int
    timeout_s: int


def _ctx() -> ForkServerContext:
    global _context
    if _context is None:
        _context = multiprocessing.get_context("forkserver")
        _context.set_forkserver_preload(PRELOAD)
    return _context


def _tune_malloc() -> None:
    """Keep the child's peak memory at its working set (docs/imaging.md, Bench).

    - Two glibc malloc arenas for the whole child instead of up to eight a core: each thread
      that allocates (libvips' workers, the encoder threads) gets an arena of its own, and
      memory freed there mostly stays mapped (~80 MB of a 24-megapixel job's peak).
    - A fixed 1 MB mmap threshold: glibc otherwise raises it after each large free, up to
      32 MB, so the decoded source and the encoders' frame buffers end up in the heap and
      stay resident after they are freed (~15-25 MB of the peak). With it fixed, every large
      buffer is its own mapping, returned to the system when freed.
    No CPU cost we could measure. Must run before the child starts a thread.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc (macOS, musl): nothing to tune
        return
    libc.mallopt(_M_ARENA_MAX, 2)
    libc.mallopt(_M_MMAP_THRESHOLD, 1 << 20)
    libc.mallopt(_M_TRIM_THRESHOLD, 4 << 20)


# glibc's malloc.h
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8


def _child(kind: str, spec_json: str, memory_mb: int, result_path: str) -> None:
    _tune_malloc()
    # The data segment limit counts heap and anonymous mappings (what a bomb allocates)
    # without counting the shared libraries and reserved thread stacks RLIMIT_AS would.
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # One job per child: libvips' operation cache would only hold memory we never reuse.
    pyvips.cache_set_max(0)
    pyvips.cache_set_max_mem(0)
    out = Path(result_path)
    try:
        if kind == "inspect":
            out.write_text(json.dumps(inspect.run(inspect.InspectSpec.from_json(spec_json))))
            os._exit(0)
        result = derive.run(derive.JobSpec.from_json(spec_json))
    except (derive.DecodeError, pyvips.Error) as error:
        if "out of memory" in str(error).lower():  # the limit hit, not a damaged file
            out.with_suffix(".error").write_text("memory\n")
            os._exit(4)
        out.with_suffix(".error").write_text(f"decode\n{error}")
        os._exit(3)
    except MemoryError:
        out.with_suffix(".error").write_text("memory\n")
        os._exit(4)
    except BaseException:
        out.with_suffix(".error").write_text("crash\n" + traceback.format_exc()[-2000:])
        os._exit(5)
    out.write_text(result.to_json())
    _write_usage(out)
    os._exit(0)


def _write_usage(out: Path) -> None:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    out.with_suffix(".usage").write_text(
        json.dumps({"cpu_s": usage.ru_utime + usage.ru_stime, "peak_rss_kib": usage.ru_maxrss})
    )


# CPU time and peak memory of the last successful job (read by bench/imaging).
last_usage: dict[str, float] = {}


def run(spec: derive.JobSpec, limits: Limits) -> derive.JobResult:
    text = _run("derive", spec.to_json(), Path(spec.out_dir), limits)
    return derive.JobResult.from_json(text)


def run_inspect(spec: inspect.InspectSpec, limits: Limits) -> dict[str, object]:
    report: dict[str, object] = json.loads(
        _run("inspect", spec.to_json(), Path(spec.out_dir), limits)
    )
    return report


def _run(kind: str, spec_json: str, out_dir: Path, limits: Limits) -> str:
    result_path = out_dir / "result.json"
    process = _ctx().Process(
        target=_child, args=(kind, spec_json, limits.memory_mb, str(result_path)), daemon=True
    )
    process.start()
    process.join(limits.timeout_s)
    if process.is_alive():
        process.kill()
        process.join()
        raise JobFailed("timeout", permanent=False)
    code = process.exitcode
    error_path = result_path.with_suffix(".error")
    if code == 0 and result_path.exists():
        usage_path = result_path.with_suffix(".usage")
        if usage_path.exists():
            last_usage.clear()
            last_usage.update(json.loads(usage_path.read_text()))
        return result_path.read_text()
    detail = error_path.read_text() if error_path.exists() else ""
    kind, _, message = detail.partition("\n")
    if kind == "decode":
        raise JobFailed(f"decode: {message}", permanent=True)
    if kind == "memory" or code == 4:
        raise JobFailed("memory", permanent=False)
    if code is not None and code < 0:
        raise JobFailed(f"signal {signal.Signals(-code).name}", permanent=False)
    raise JobFailed(
        f"crash: {message.strip().splitlines()[-1] if message else code}", permanent=False
    )
