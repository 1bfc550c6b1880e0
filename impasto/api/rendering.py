"""The API's JSON, encoded by orjson (in C) instead of the standard library's encoder.

Ninja renders every answer with ``json.dumps`` and its ``NinjaJSONEncoder`` (Django's
``DjangoJSONEncoder`` plus pydantic types): about a twentieth of a home timeline page's CPU
(docs/scaling.md). orjson encodes the same values, with two differences kept away:

- dates and times are handed back to Django's encoder (``OPT_PASSTHROUGH_DATETIME``), so they
  read exactly as before: milliseconds, ``Z`` for UTC;
- keys that are not text (ids) become text, as ``json.dumps`` makes them.

Anything else orjson does not know (``Decimal``, lazy translations, pydantic URLs) goes to
ninja's encoder too. The only change on the wire is that there are no spaces after ``,`` and
``:``. ``tests/api/test_rendering.py`` holds the decoded answer equal to the old renderer's.
"""

from __future__ import annotations

from typing import Any

import orjson
from django.http import HttpRequest
from ninja.renderers import BaseRenderer
from ninja.responses import NinjaJSONEncoder

OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS

_fallback = NinjaJSONEncoder()


class JSONRenderer(BaseRenderer):
    media_type = "application/json"

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> bytes:
        return orjson.dumps(data, default=_fallback.default, option=OPTIONS)
