"""Types every router shares: snowflake ids as strings, safe text, the error body."""

from __future__ import annotations

import re
from typing import Annotated, Any

from django.utils.translation import gettext as _
from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import (
    BeforeValidator,
    Field,
    ModelWrapValidatorHandler,
    PlainSerializer,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

SNOWFLAKE_MAX = 2**63 - 1


def _digits_at_most(limit: int) -> str:
    """A regular expression for the decimal strings of 0..limit (leading zeros allowed).

    The OpenAPI schema states the exact range, so a client (or schemathesis) never builds an
    id the server would then refuse: ``[0-9]{1,19}`` alone admits 9999999999999999999.
    """
    text = str(limit)
    shorter = f"[0-9]{{1,{len(text) - 1}}}" if len(text) > 1 else None
    same_length = []
    for i, digit in enumerate(text):
        if digit != "0":
            rest = len(text) - i - 1
            tail = f"[0-9]{{{rest}}}" if rest else ""
            same_length.append(f"{text[:i]}[0-{int(digit) - 1}]{tail}")
    same_length.append(text)
    return "^(?:" + "|".join(filter(None, [shorter, *same_length])) + ")$"


SNOWFLAKE_PATTERN = _digits_at_most(SNOWFLAKE_MAX)
_DIGITS = re.compile(SNOWFLAKE_PATTERN)


def _parse_snowflake(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _DIGITS.fullmatch(value):
        number = int(value)
    else:
        raise PydanticCustomError("snowflake", _("An id is a string of digits."))
    if not 0 <= number <= SNOWFLAKE_MAX:
        raise PydanticCustomError("snowflake", _("This id is out of range."))
    return number


SnowflakeId = Annotated[
    int,
    BeforeValidator(_parse_snowflake),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": SNOWFLAKE_PATTERN,
            "description": "A 64-bit id, sent as a string (it exceeds JavaScript's 2^53).",
            "examples": ["1178538745954305"],
        }
    ),
]
"""A snowflake id (``impasto.core.ids``): an ``int`` in Python, a string of digits in JSON."""


def _parse_snowflake_string(value: object) -> int:
    if not isinstance(value, str):
        raise PydanticCustomError("snowflake", _("An id is a string of digits."))
    return _parse_snowflake(value)


SnowflakeIdIn = Annotated[
    int,
    BeforeValidator(_parse_snowflake_string),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": SNOWFLAKE_PATTERN,
            "description": "A 64-bit id, sent as a string (it exceeds JavaScript's 2^53).",
            "examples": ["1178538745954305"],
        }
    ),
]
"""A snowflake id in a request body: a JSON string only, never a number.

:data:`SnowflakeId` also takes Python ints, because response schemas are validated from model
rows; a JSON number in a body would already have lost precision in a JavaScript client, and
the schema says string, so bodies use this one (schemathesis holds it to that).
"""


def _clean_text(value: object) -> object:
    # PostgreSQL refuses NUL in text, and lone surrogates cannot be encoded to UTF-8: both would
    # otherwise reach the database and fail there as a server error.
    if isinstance(value, str):
        if "\x00" in value:
            raise PydanticCustomError("text_nul", _("Text cannot contain NUL characters."))
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise PydanticCustomError("text_unicode", _("Text must be valid Unicode.")) from None
    return value


Text = Annotated[str, BeforeValidator(_clean_text)]
"""Any user-written string in a request body or query: ``Annotated[Text, Field(max_length=…)]``."""


class ErrorItem(Schema):
    field: str | None = Field(
        description="The request field at fault (dotted for nested fields), or null."
    )
    message: str


class ErrorOut(Schema):
    """The body of every error answer (4xx and 5xx)."""

    detail: str = Field(description="What went wrong, in words a person understands.")
    errors: list[ErrorItem] = Field(
        default_factory=list, description="Per-field problems; empty when none apply."
    )


class Answer(Schema):
    """An answer the API builds as plain data (dicts of text, numbers, lists, dates).

    Ninja wraps whatever it validates in a ``DjangoGetter`` so that ORM objects, managers and
    ``resolve_`` methods work. For a dict of plain values the wrapper changes nothing, and it
    cost a Python call per field of every nested object: about half of a feed page's
    validation (docs/scaling.md). A plain dict skips it; anything else (an ORM object, a
    schema with resolvers) takes ninja's own path.
    """

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(
        cls, values: Any, handler: ModelWrapValidatorHandler[Any], info: ValidationInfo
    ) -> Any:
        if type(values) is dict and not cls._ninja_resolvers:
            return handler(values)
        if cls.model_config.get("extra") == "forbid" or cls.model_config.get(
            "validate_assignment", False
        ):
            handler(values)
        return handler(DjangoGetter(values, cls, info.context))
