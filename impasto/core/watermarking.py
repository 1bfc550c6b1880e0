"""invisible-watermark's DWT-DCT embedders, imported without torch.

The package (import name ``imwatermark``) imports its RivaGAN module, and with it torch, when
the package itself is imported, although the DWT-DCT methods never use torch. We install it
without its dependencies (see ``scripts/install``) and put a placeholder for that one module in
``sys.modules`` before the import, so ``WatermarkEncoder`` and ``WatermarkDecoder`` work with
the ``dwtDct`` and ``dwtDctSvd`` methods exactly as upstream (and Stable Diffusion) use them.
Asking for the ``rivaGan`` method raises a clear error.
"""

from __future__ import annotations

import sys
import types
from typing import Any

_RIVA = "imwatermark.rivaGan"


class _RivaGanUnavailable:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the rivaGan watermark method needs torch, which Impasto does not use")

    @classmethod
    def loadModel(cls) -> None:
        raise RuntimeError("the rivaGan watermark method needs torch, which Impasto does not use")


if _RIVA not in sys.modules:
    _placeholder = types.ModuleType(_RIVA)
    _placeholder.RivaWatermark = _RivaGanUnavailable  # type: ignore[attr-defined]
    sys.modules[_RIVA] = _placeholder

from imwatermark import WatermarkDecoder, WatermarkEncoder  # noqa: E402

__all__ = ["WatermarkDecoder", "WatermarkEncoder"]
