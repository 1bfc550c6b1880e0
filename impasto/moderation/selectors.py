"""Reads of moderation: the desk's queues, a case with what it is about, an account's history,
and what an artist may see of the cases about their work."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import F, Q, QuerySet

from impasto.accounts.models import User
from impasto.moderation import targets
from impasto.moderation.models import (
    APPEALABLE,
    AccountSanction,
    ActionLog,
    Appeal,
    AppealFile,
    Case,
    Decision,
    Notice,
)
from impasto.protection.detection import vocab

QUEUES = ("held", "reported", "appeals")
QUEUE_SIZE = 50


def is_moderator(user: User | AnonymousUser | Any) -> bool:
    """Staff members are the moderators."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff)


def queue(*, name: str, limit: int = QUEUE_SIZE) -> QuerySet[Any, Any]:
    """A desk queue, oldest first (first come, first decided)."""
    if name == "appeals":
        return (
            Appeal.objects.filter(status=Appeal.Status.OPEN)
            .select_related("case", "case__subject", "case__decided_by", "appellant")
            .order_by("id")[:limit]
        )
    cases = Case.objects.filter(status=Case.Status.OPEN).select_related("subject")
    cases = cases.filter(held=True) if name == "held" else cases.filter(held=False)
    return cases.order_by(F("review_requested_at").desc(nulls_last=True), "id")[:limit]


def queue_counts() -> dict[str, int]:
    open_cases = Case.objects.filter(status=Case.Status.OPEN)
    return {
        "held": open_cases.filter(held=True).count(),
        "reported": open_cases.filter(held=False).count(),
        "appeals": Appeal.objects.filter(status=Appeal.Status.OPEN).count(),
    }


@dataclass
class EvidenceLine:
    signal: str
    label: str
    detail: str
    strength: str | None


def evidence_of(case: Case) -> list[EvidenceLine]:
    lines = []
    for item in (case.detection or {}).get("evidence", []):
        signal = str(item.get("signal", ""))
        lines.append(
            EvidenceLine(
                signal=signal,
                label=str(vocab.SIGNAL_LABELS.get(signal, signal)),
                detail=str(item.get("detail", "")),
                strength=item.get("strength"),
            )
        )
    return lines


@dataclass
class CaseView:
    """A case with its target resolved, for the desk and for the artist."""

    case: Case
    target: targets.TargetType
    obj: Any | None
    images: list[Any]
    evidence: list[EvidenceLine]
    appeal: Appeal | None
    appeal_files: list[Any] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.target.title(self.obj) if self.obj is not None else ""

    @property
    def url(self) -> str | None:
        return self.target.url(self.obj) if self.obj is not None else None

    @property
    def text(self) -> str:
        return self.target.text(self.obj) if self.obj is not None else ""


def _case_view(case: Case) -> CaseView:
    target = targets.get(case.target_type)
    obj = target.load(case.target_id)
    appeal = Appeal.objects.filter(case=case).select_related("decided_by").first()
    files: list[Any] = []
    if appeal is not None:
        from impasto.imaging.models import MediaAsset

        files = list(
            MediaAsset.objects.filter(pk__in=appeal.files.values("pk")).prefetch_related("variants")
        )
    return CaseView(
        case=case,
        target=target,
        obj=obj,
        images=target.images(obj) if obj is not None else [],
        evidence=evidence_of(case),
        appeal=appeal,
        appeal_files=files,
    )


def case_for_moderator(*, case_id: int, viewer: User) -> CaseView | None:
    if not is_moderator(viewer):
        return None
    case = Case.objects.select_related("subject", "decided_by").filter(pk=case_id).first()
    return _case_view(case) if case is not None else None


def case_for_subject(*, case_id: int, user: User) -> CaseView | None:
    """A case as its artist sees it (404 for anyone else)."""
    case = (
        Case.objects.select_related("subject", "decided_by")
        .filter(pk=case_id, subject=user)
        .first()
    )
    return _case_view(case) if case is not None else None


def latest_case_for_target(*, target_type: str, target_id: int, user: User) -> Case | None:
    return (
        Case.objects.filter(target_type=target_type, target_id=target_id, subject=user)
        .order_by("-id")
        .first()
    )


def open_cases_on(*, target_type: str, target_ids: list[int]) -> dict[int, int]:
    """The open case of each of ``target_ids`` that has one: target id -> case id (one query)."""
    if not target_ids:
        return {}
    rows = Case.objects.filter(
        target_type=target_type, target_id__in=target_ids, status=Case.Status.OPEN
    ).values_list("target_id", "pk")
    return dict(rows.order_by("pk"))


@dataclass
class AccountHistory:
    cases: list[Case]
    sanctions: list[AccountSanction]
    log: list[ActionLog]


def account_history(*, user_id: int, exclude_case: int | None = None) -> AccountHistory:
    cases = Case.objects.filter(subject_id=user_id).order_by("-id")
    if exclude_case is not None:
        cases = cases.exclude(pk=exclude_case)
    return AccountHistory(
        cases=list(cases[:20]),
        sanctions=list(AccountSanction.objects.filter(user_id=user_id).order_by("-id")[:20]),
        log=list(ActionLog.objects.filter(subject_id_ref=user_id).order_by("-id")[:30]),
    )


def case_log(*, case_id: int) -> list[ActionLog]:
    return list(ActionLog.objects.filter(case_id_ref=case_id).order_by("id"))


def notices_for(*, user: User, limit: int = 50) -> list[Notice]:
    return list(Notice.objects.filter(recipient=user).order_by("-id")[:limit])


def unread_notices(*, user: User) -> int:
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()


def is_appeal_file(*, asset_id: int) -> bool:
    return AppealFile.objects.filter(asset_id=asset_id).exists()


def can_appeal(case: Case) -> bool:
    """A removal, a suspension or a ban may be appealed once."""
    return case.decision in APPEALABLE and not Appeal.objects.filter(case=case).exists()


@dataclass
class Standing:
    """One live suspension or ban, as the sanctioned person sees it on their standing page."""

    sanction: AccountSanction
    view: CaseView | None  # None: the case is gone (the sanction outlives it)
    form: Any = None  # the appeal form shown with it (set by the view)

    @property
    def can_appeal(self) -> bool:
        return (
            self.view is not None
            and self.view.appeal is None
            and (self.view.case.decision in APPEALABLE)
        )


def standing_of(*, user: User) -> list[Standing]:
    """The sanctions that keep ``user``'s account closed, each with its case (their own only)."""
    sanctions = list(
        AccountSanction.objects.filter(user=user, lifted_at__isnull=True).order_by("id")
    )
    cases = {
        case.pk: case
        for case in Case.objects.select_related("subject", "decided_by").filter(
            subject=user, pk__in=[s.case_id for s in sanctions if s.case_id]
        )
    }
    return [
        Standing(
            sanction=sanction,
            view=_case_view(cases[sanction.case_id]) if sanction.case_id in cases else None,
        )
        for sanction in sanctions
    ]


def has_live_sanction(*, user: User) -> bool:
    return AccountSanction.objects.filter(user=user, lifted_at__isnull=True).exists()


def cases_of_subject(*, user: User) -> QuerySet[Case, Case]:
    return Case.objects.filter(subject=user).filter(
        Q(status=Case.Status.OPEN) | Q(decision=Decision.REMOVED)
    )


def hold_evidence(*, asset_id: int) -> list[EvidenceLine]:
    """The evidence behind the hold of an upload, when it is held by an open case."""
    case = (
        Case.objects.filter(
            target_type="asset", target_id=asset_id, status=Case.Status.OPEN, held=True
        )
        .only("detection")
        .first()
    )
    return [line for line in evidence_of(case) if line.strength] if case is not None else []
