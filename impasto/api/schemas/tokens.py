"""Personal access tokens as the API shows them: never the secret, which is not stored."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field

from impasto.api.models import AccessToken
from impasto.api.schemas.common import SnowflakeId


class TokenOut(Schema):
    id: SnowflakeId
    name: str
    hint: str = Field(description="The public start of the token, to recognise it.")
    scope: AccessToken.Scope
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None = Field(description="Precise to about five minutes.")
