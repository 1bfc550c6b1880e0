"""libvips for untrusted input: only the loaders we accept, and no untrusted ones.

Called in every process that opens uploads (the web process reads headers, the sandboxed
child decodes pixels). All foreign loaders are blocked, then exactly the five we need are
unblocked; ``block_untrusted_set`` additionally refuses any loader libvips itself marks as
not hardened against hostile input.
"""

from __future__ import annotations

import os

os.environ.setdefault("VIPS_BLOCK_UNTRUSTED", "1")

import pyvips

ALLOWED_LOADERS = (
    "VipsForeignLoadJpeg",
    "VipsForeignLoadPng",
    "VipsForeignLoadNsgif",
    "VipsForeignLoadWebp",
    "VipsForeignLoadHeif",
)

_configured = False


def configure() -> None:
    global _configured
    if _configured:
        return
    pyvips.block_untrusted_set(True)
    pyvips.operation_block_set("VipsForeignLoad", True)
    for name in ALLOWED_LOADERS:
        pyvips.operation_block_set(name, False)
    _configured = True
