"""Reports to the moderators: POST /api/v1/reports (docs/moderation.md)."""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from impasto.api.auth import current_user
from impasto.api.errors import ApiError, RateLimited, error_responses
from impasto.api.schemas.common import SnowflakeId, SnowflakeIdIn, Text
from impasto.moderation import services
from impasto.moderation.models import NOTE_MAX_LENGTH
from impasto.protection.ratelimit import rate_limit

router = Router(tags=["moderation"])

ReportTarget = Literal["asset", "post", "profile", "project", "comment"]
ReportReasonIn = Literal["ai", "stolen", "harassment", "spam", "mature", "other"]


class ReportIn(Schema):
    """A report of a work (``asset``), a post, a profile (``target_id`` is the account id), a
    portfolio project or a comment on a project."""

    model_config = ConfigDict(extra="forbid")

    target_type: ReportTarget
    target_id: SnowflakeIdIn
    reason: ReportReasonIn = Field(
        description="ai: AI-generated; stolen: stolen art; mature: mature content not marked."
    )
    note: Annotated[Text, Field(max_length=NOTE_MAX_LENGTH)] = ""


class ReportOut(Schema):
    id: SnowflakeId
    target_type: str
    target_id: SnowflakeId
    reason: str
    note: str


@router.post(
    "",
    response={201: ReportOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Report a work, a post or a profile",
)
def report_create(request: HttpRequest, payload: ReportIn) -> Status[dict[str, Any]]:
    """Reports of the same thing merge into one case; reporting it again updates your report.
    You are told the outcome in your moderation notices. 404 for something you cannot see,
    400 for your own work; reports are rate-limited per account (429)."""
    user = current_user(request)
    decision = rate_limit(request, bucket="reports", key=f"user:{user.pk}")
    if not decision.allowed:
        raise RateLimited(retry_after=max(1, math.ceil(decision.retry_after)))
    try:
        report = services.report_create(
            reporter=user,
            target_type=payload.target_type,
            target_id=payload.target_id,
            reason=payload.reason,
            note=payload.note,
        )
    except services.ModerationError as error:
        if error.status == 404:
            raise Http404(error.message) from None
        raise ApiError(error.message, status=error.status) from None
    return Status(
        201,
        {
            "id": report.pk,
            "target_type": payload.target_type,
            "target_id": payload.target_id,
            "reason": report.reason,
            "note": report.note,
        },
    )
