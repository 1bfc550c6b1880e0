"""The id type's schema states exactly the range the server accepts."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from impasto.api.schemas.common import SNOWFLAKE_MAX, SNOWFLAKE_PATTERN, SnowflakeIdIn

ids = TypeAdapter(SnowflakeIdIn)


@given(st.integers(min_value=0, max_value=10**19 - 1))
def test_the_pattern_admits_exactly_the_ids_the_parser_accepts(number):
    text = str(number)
    assert bool(re.fullmatch(SNOWFLAKE_PATTERN, text)) == (number <= SNOWFLAKE_MAX)
    if number <= SNOWFLAKE_MAX:
        assert ids.validate_python(text) == number
    else:
        with pytest.raises(ValidationError):
            ids.validate_python(text)


@pytest.mark.parametrize("edge", [SNOWFLAKE_MAX, SNOWFLAKE_MAX + 1, 9594075872109907098, 0])
def test_the_edges_of_the_range(edge):
    assert bool(re.fullmatch(SNOWFLAKE_PATTERN, str(edge))) == (edge <= SNOWFLAKE_MAX)
