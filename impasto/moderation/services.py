"""Every write of moderation: screening uploads, reports, decisions, appeals, notices.

Every step that changes a case writes one line to the append-only audit log
(:class:`ActionLog`) in the same transaction, and tells the people concerned (a
:class:`Notice` in the app, and an email after the commit).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import storages
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from impasto.accounts.models import User
from impasto.core import perceptual
from impasto.imaging import services as imaging_services
from impasto.imaging.acceptance import inspect_file
from impasto.imaging.models import MediaAsset, Purpose, SourceType
from impasto.moderation import targets
from impasto.moderation.models import (
    APPEALABLE,
    SANCTIONS,
    AccountSanction,
    ActionLog,
    Appeal,
    AppealFile,
    Case,
    Decision,
    MatureLabel,
    Notice,
    RemovalCategory,
    Report,
    ReportReason,
)
from impasto.moderation.selectors import is_moderator
from impasto.protection.detection import UnreadableImage, Verdict, scan, vocab
from impasto.protection.detection import services as blocklist
from impasto.protection.detection.hashing import hashes_of_bytes

logger = logging.getLogger(__name__)

MAX_APPEAL_FILES = 5
# A mature label on a post is shown as its content warning (when it has none).
MATURE_WARNING = "Mature content"


class ModerationError(Exception):
    """A refused step, with a message for the person who asked (shown as a 4xx)."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def _require_moderator(user: User) -> None:
    if not is_moderator(user):
        raise ModerationError(_("Only moderators can do this."), status=403)


def log_action(
    *,
    kind: str,
    case: Case | None,
    actor: User | None,
    reason: str = "",
    target_type: str = "",
    target_id: int = 0,
    subject_id: int | None = None,
) -> ActionLog:
    return ActionLog.objects.create(
        kind=kind,
        case_id_ref=case.pk if case else None,
        actor_id_ref=actor.pk if actor else None,
        actor_handle=actor.handle if actor else "",
        subject_id_ref=subject_id
        if subject_id is not None
        else (case.subject_id if case else None),
        target_type=case.target_type if case else target_type,
        target_id=case.target_id if case else target_id,
        reason=reason,
    )


def notice_send(*, recipient_id: int, case: Case | None, subject: str, body: str) -> Notice:
    """Tell one person: a notice in the app, and an email once the transaction commits."""
    notice = Notice.objects.create(
        recipient_id=recipient_id, case=case, subject=subject[:200], body=body
    )

    def email() -> None:
        user = User.objects.filter(pk=recipient_id).first()
        if user is None or not user.email:
            return
        link = f"{settings.SITE_URL}{reverse('moderation:notices')}"
        try:
            send_mail(subject[:200], f"{body}\n\n{link}", None, [user.email])
        except Exception:
            logger.exception("moderation email to %s failed", recipient_id)

    transaction.on_commit(email)
    return notice


def _open_case(*, target_type: str, target_id: int, source: str) -> tuple[Case, bool]:
    """The open case on a target, created when there is none (race-safe)."""
    existing = Case.objects.select_for_update().filter(
        target_type=target_type, target_id=target_id, status=Case.Status.OPEN
    )
    found = existing.first()
    if found is not None:
        return found, False
    target = targets.get(target_type)
    obj = target.load(target_id)
    if obj is None:
        raise ModerationError(_("This no longer exists."), status=404)
    try:
        with transaction.atomic():
            case = Case.objects.create(
                target_type=target_type,
                target_id=target_id,
                subject_id=target.owner_id(obj),
                source=source,
            )
    except IntegrityError:  # another request opened it first
        return existing.get(), False
    return case, True


def _evidence_lines(detection: dict[str, Any]) -> list[str]:
    lines = []
    for item in detection.get("evidence", []):
        if item.get("strength") is None:
            continue
        label = vocab.SIGNAL_LABELS.get(item["signal"], item["signal"])
        lines.append(f"- {label}")
    return lines


# --- S1: screening uploads --------------------------------------------------------------------


def asset_screen(asset: MediaAsset, path: Path) -> bool:
    """The imaging screen: scan the untouched original; True holds the upload.

    Strong evidence (verdict ``ai``) holds it and opens a case in the "held" queue; a match
    with a work already removed as AI or as stolen holds it too (the issue's "held at once",
    though the signal itself is weak); other weak evidence publishes it and opens a case in
    the "reported" queue. An appeal's process file, or an asset a moderator already cleared,
    is not screened again. Safe to run twice (a retried task updates the same open case).
    """
    if AppealFile.objects.filter(asset_id=asset.pk).exists():
        return False
    if Case.objects.filter(
        target_type="asset", target_id=asset.pk, decision__in=[Decision.CLEARED, Decision.RESTORED]
    ).exists():
        return False
    try:
        result = scan(path)
    except UnreadableImage as error:  # HEIC, or past the scan's caps: nothing to say
        logger.info("asset %s not scanned: %s", asset.pk, error)
        return False
    found = [e for e in result.evidence if e.strength is not None]
    if not found:
        return False
    hold = result.verdict == Verdict.AI or any(e.signal == vocab.HASH_MATCH for e in found)
    with transaction.atomic():
        case, created = _open_case(
            target_type="asset", target_id=asset.pk, source=Case.Source.DETECTION
        )
        Case.objects.filter(pk=case.pk).update(
            detection=result.as_dict(), held=case.held or hold, updated_at=timezone.now()
        )
        case.detection, case.held = result.as_dict(), case.held or hold
        if created:
            kind = ActionLog.Kind.HOLD if hold else ActionLog.Kind.FLAG
            log_action(
                kind=kind, case=case, actor=None, reason="\n".join(_evidence_lines(case.detection))
            )
            if hold:
                notice_send(
                    recipient_id=asset.owner_id,
                    case=case,
                    subject=_("Your upload is held for review"),
                    body="\n".join(
                        [
                            _(
                                "We found signs in your file that it was made with generative "
                                "AI, so it is not shown to anyone yet:"
                            ),
                            *_evidence_lines(case.detection),
                            "",
                            _(
                                "If you made it yourself, ask for a review and tell us how; "
                                "a moderator will look. You can also withdraw it."
                            ),
                        ]
                    ),
                )
    return hold


def case_request_review(*, case: Case, user: User, note: str) -> Case:
    """The artist asks a moderator to look at a held work, with a note."""
    if case.subject_id != user.pk or not case.is_open:
        raise ModerationError(_("This case is not waiting for you."), status=404)
    if case.review_requested_at is not None:
        raise ModerationError(_("You already asked for a review."), status=409)
    note = note.strip()[:2000]
    with transaction.atomic():
        Case.objects.filter(pk=case.pk).update(
            review_requested_at=timezone.now(), artist_note=note, updated_at=timezone.now()
        )
        case.refresh_from_db()
        log_action(kind=ActionLog.Kind.REVIEW_REQUEST, case=case, actor=user, reason=note)
    return case


def case_withdraw(*, case: Case, user: User) -> Case:
    """The artist takes a held or reported work down themselves; the case closes."""
    if case.subject_id != user.pk or not case.is_open:
        raise ModerationError(_("This case is not waiting for you."), status=404)
    target = targets.get(case.target_type)
    with transaction.atomic():
        obj = target.load(case.target_id)
        if obj is not None:
            target.hide(obj)
        _close(case, decision=Decision.WITHDRAWN, by=None, reason="")
        log_action(kind=ActionLog.Kind.WITHDRAW, case=case, actor=user)
    return case


# --- S2: reports ------------------------------------------------------------------------------


def report_create(
    *, reporter: User, target_type: str, target_id: int, reason: str, note: str = ""
) -> Report:
    """Report a target. Reports of the same target merge into its one open case; the same
    person reporting again updates their report."""
    if reason not in ReportReason.values:
        raise ModerationError(_("Choose one of the offered reasons."))
    try:
        target = targets.get(target_type)
    except KeyError:
        raise ModerationError(_("This cannot be reported."), status=404) from None
    obj = target.load(target_id)
    if obj is None or not target.visible_to(obj, reporter):
        raise ModerationError(_("This no longer exists."), status=404)
    if target.owner_id(obj) == reporter.pk:
        raise ModerationError(_("You cannot report your own work."))
    note = note.strip()[:2000]
    with transaction.atomic():
        case, _created = _open_case(
            target_type=target_type, target_id=target_id, source=Case.Source.REPORT
        )
        report, created = Report.objects.update_or_create(
            case=case, reporter=reporter, defaults={"reason": reason, "note": note}
        )
        if created:
            Case.objects.filter(pk=case.pk).update(
                reports_count=F("reports_count") + 1, updated_at=timezone.now()
            )
            log_action(
                kind=ActionLog.Kind.REPORT,
                case=case,
                actor=reporter,
                reason=f"{ReportReason(reason).label}: {note}".strip(": "),
            )
    return report


# --- S3: decisions ----------------------------------------------------------------------------

ACTIONS = ("clear", "remove", "label_mature", "warn", "suspend", "ban")
_DECISIONS = {
    "clear": Decision.CLEARED,
    "remove": Decision.REMOVED,
    "label_mature": Decision.LABELLED,
    "warn": Decision.WARNED,
    "suspend": Decision.SUSPENDED,
    "ban": Decision.BANNED,
}
_LOG_KINDS = {
    "clear": ActionLog.Kind.CLEAR,
    "remove": ActionLog.Kind.REMOVE,
    "label_mature": ActionLog.Kind.LABEL_MATURE,
    "warn": ActionLog.Kind.WARN,
    "suspend": ActionLog.Kind.SUSPEND,
    "ban": ActionLog.Kind.BAN,
}


def _close(case: Case, *, decision: str, by: User | None, reason: str, category: str = "") -> None:
    now = timezone.now()
    values = {
        "status": Case.Status.CLOSED,
        "decision": decision,
        "decision_reason": reason,
        "removal_category": category,
        "decided_by": by,
        "decided_at": now,
        "held": False,
        "updated_at": now,
    }
    Case.objects.filter(pk=case.pk).update(**values)
    for key, value in values.items():
        setattr(case, key, value)


def _original_hashes(asset: MediaAsset) -> perceptual.PerceptualHashes | None:
    try:
        with storages["private"].open(asset.original_key, "rb") as handle:
            return hashes_of_bytes(handle.read())
    except Exception:  # HEIC (not hashed by detection), a missing original
        if asset.phash:
            return perceptual.PerceptualHashes(
                phash=asset.phash, pdq=asset.pdq or None, pdq_quality=asset.pdq_quality or 0
            )
        return None


def _block_images(case: Case, images: Iterable[Any]) -> None:
    for asset in images:
        hashes = _original_hashes(asset)
        if hashes is not None:
            blocklist.blocked_hash_add(
                hashes=hashes,
                reason=case.removal_category,
                case_ref=str(case.pk),
                asset_ref=str(asset.pk),
            )


def _outcome_for_reporters(case: Case) -> None:
    label = targets.get(case.target_type).label
    if case.decision in (Decision.CLEARED, Decision.RESTORED):
        body = _(
            "Thank you for your report. A moderator looked at this %(what)s and found that it "
            "follows the rules, so it stays up."
        ) % {"what": label}
    else:
        body = _(
            "Thank you for your report. A moderator looked at this %(what)s and acted on it: "
            "%(decision)s."
        ) % {"what": label, "decision": Decision(case.decision).label}
    now = timezone.now()
    for report in case.reports.filter(outcome_sent_at__isnull=True):
        notice_send(
            recipient_id=report.reporter_id,
            case=case,
            subject=_("The outcome of your report"),
            body=body,
        )
    case.reports.filter(outcome_sent_at__isnull=True).update(outcome_sent_at=now)


def _tell_subject(case: Case, *, reason: str) -> None:
    label = targets.get(case.target_type).label
    decision = Decision(case.decision)
    intro = {
        Decision.CLEARED: _("A moderator looked at your %(what)s: it is fine, and it is shown."),
        Decision.REMOVED: _("A moderator removed your %(what)s."),
        Decision.LABELLED: _("A moderator labelled your %(what)s as mature content."),
        Decision.WARNED: _("A moderator sent you a warning about your %(what)s."),
        Decision.SUSPENDED: _("A moderator suspended your account over your %(what)s."),
        Decision.BANNED: _("A moderator banned your account over your %(what)s."),
        Decision.RESTORED: _("Your %(what)s is restored and shown again."),
    }.get(decision, _("A moderator decided on your %(what)s."))
    lines = [intro % {"what": label}, "", _("The reason they gave:"), reason]
    if decision == Decision.REMOVED:
        lines += ["", _("If you think this is a mistake, you can appeal once.")]
    elif decision in SANCTIONS:
        lines += [
            "",
            _(
                "If you think this is a mistake, you can appeal once: log in with your password "
                "and you will see the decision and a form to appeal it."
            ),
        ]
    notice_send(
        recipient_id=case.subject_id,
        case=case,
        subject=str(decision.label),
        body="\n".join(lines),
    )


def case_decide(
    *,
    case: Case,
    moderator: User,
    action: str,
    reason: str,
    category: str = "",
    days: int | None = None,
) -> Case:
    """Decide an open case: clear, remove, label mature, warn, suspend or ban.

    The reason is required and shown to the artist. Clearing, labelling and warning put a
    held work back on view; removing hides it (AI and stolen removals feed the blocklist);
    suspending and banning close the account (a suspension for ``days``).
    """
    _require_moderator(moderator)
    reason = reason.strip()
    if action not in ACTIONS:
        raise ModerationError(_("Unknown action."))
    if not reason:
        raise ModerationError(_("Give a reason: the artist will read it."))
    if case.subject_id == moderator.pk:
        raise ModerationError(_("Another moderator must decide a case about you."), status=403)
    if action == "remove" and category not in RemovalCategory.values:
        raise ModerationError(_("Say which rule the work breaks."))
    if action == "suspend" and not (days and 1 <= days <= 365):
        raise ModerationError(_("A suspension lasts from 1 to 365 days."))
    target = targets.get(case.target_type)
    with transaction.atomic():
        locked = Case.objects.select_for_update().filter(pk=case.pk).first()
        if locked is None or not locked.is_open:
            raise ModerationError(_("This case was already decided."), status=409)
        obj = target.load(case.target_id)
        if obj is not None:
            if action == "remove":
                target.hide(obj)
            elif action in ("clear", "label_mature", "warn") and locked.held:
                target.restore(obj)
        if action == "label_mature":
            MatureLabel.objects.get_or_create(
                target_type=case.target_type, target_id=case.target_id, defaults={"case": case}
            )
            if case.target_type == "post":
                from impasto.social.models import Post

                Post.objects.filter(pk=case.target_id, content_warning="").update(
                    content_warning=MATURE_WARNING
                )
        if action in ("suspend", "ban"):
            until = timezone.now() + dt.timedelta(days=days or 0) if action == "suspend" else None
            AccountSanction.objects.create(
                user_id=case.subject_id,
                case=case,
                kind=AccountSanction.Kind.SUSPENSION
                if action == "suspend"
                else AccountSanction.Kind.BAN,
                until=until,
            )
            User.objects.filter(pk=case.subject_id).update(is_active=False)
        _close(
            case,
            decision=_DECISIONS[action],
            by=moderator,
            reason=reason,
            category=category if action == "remove" else "",
        )
        if action == "remove" and category in (RemovalCategory.AI, RemovalCategory.STOLEN):
            _block_images(case, target.images(obj) if obj is not None else [])
        log_action(kind=_LOG_KINDS[action], case=case, actor=moderator, reason=reason)
        _tell_subject(case, reason=reason)
        _outcome_for_reporters(case)
    return case


def _reinstate(case: Case, *, by: User, reason: str) -> None:
    target = targets.get(case.target_type)
    obj = target.load(case.target_id)
    if obj is not None:
        target.restore(obj)
        for asset in target.images(obj):
            blocklist.blocked_hash_remove(asset_ref=str(asset.pk))
    _close(case, decision=Decision.RESTORED, by=by, reason=reason)


def case_restore(*, case: Case, moderator: User, reason: str) -> Case:
    """Put a removed work back (a mistake found without an appeal)."""
    _require_moderator(moderator)
    reason = reason.strip()
    if not reason:
        raise ModerationError(_("Give a reason: the artist will read it."))
    if case.decision != Decision.REMOVED:
        raise ModerationError(_("Only a removed work can be restored."), status=409)
    with transaction.atomic():
        _reinstate(case, by=moderator, reason=reason)
        log_action(kind=ActionLog.Kind.RESTORE, case=case, actor=moderator, reason=reason)
        _tell_subject(case, reason=reason)
    return case


def sanction_lift(
    sanction: AccountSanction, *, now: dt.datetime, actor: User | None, reason: str
) -> bool:
    """Lift one sanction (inside the caller's transaction) and log it; the account reopens
    unless another live sanction remains (a ban, or a suspension still running at ``now``).

    Returns True when the account was reopened. A sanction already lifted changes nothing.
    """
    if not AccountSanction.objects.filter(pk=sanction.pk, lifted_at__isnull=True).update(
        lifted_at=now
    ):
        return False
    sanction.lifted_at = now
    still = (
        AccountSanction.objects.filter(user_id=sanction.user_id, lifted_at__isnull=True)
        .filter(Q(kind=AccountSanction.Kind.BAN) | Q(until__gt=now))
        .exists()
    )
    case = Case.objects.filter(pk=sanction.case_id).first() if sanction.case_id else None
    log_action(
        kind=ActionLog.Kind.LIFT,
        case=case,
        actor=actor,
        reason=reason,
        subject_id=sanction.user_id,
        target_type="" if case else "profile",
        target_id=0 if case else sanction.user_id,
    )
    if still:
        return False
    User.objects.filter(pk=sanction.user_id).update(is_active=True)
    return True


def sanctions_lift_expired(*, now: dt.datetime | None = None) -> int:
    """Reopen accounts whose suspension ended (run from the scheduler, like the sweeps)."""
    now = now or timezone.now()
    lifted = 0
    for sanction in AccountSanction.objects.filter(
        kind=AccountSanction.Kind.SUSPENSION, lifted_at__isnull=True, until__lte=now
    ):
        with transaction.atomic():
            sanction_lift(sanction, now=now, actor=None, reason=_("The suspension ended."))
            lifted += 1
    return lifted


# --- S4: appeals ------------------------------------------------------------------------------


def appeal_create(*, case: Case, user: User, statement: str, files: Iterable[Path] = ()) -> Appeal:
    """The artist appeals a removal, a suspension or a ban, once, with a statement and
    optional process files.

    The files go through the image pipeline like any upload and are marked as appeal files:
    private to the artist and the moderators, and not screened.
    """
    statement = statement.strip()[:2000]
    paths = list(files)
    if case.subject_id != user.pk:
        raise ModerationError(_("This case is not yours."), status=404)
    if case.decision not in APPEALABLE:
        raise ModerationError(
            _("Only a removal, a suspension or a ban can be appealed."), status=409
        )
    if not statement:
        raise ModerationError(_("Tell the moderators why the decision is wrong."))
    if len(paths) > MAX_APPEAL_FILES:
        raise ModerationError(_("Attach at most %(count)d files.") % {"count": MAX_APPEAL_FILES})
    for path in paths:  # every file checked (header only) before any is stored: a refused
        inspect_file(path)  # fifth file leaves no stored original of the first four behind
    with transaction.atomic():
        try:
            with transaction.atomic():
                appeal = Appeal.objects.create(case=case, appellant=user, statement=statement)
        except IntegrityError:
            raise ModerationError(_("You already appealed this decision."), status=409) from None
        for path in paths:
            asset, _created = imaging_services.asset_upload(
                owner=user,
                path=path,
                purpose=Purpose.ARTWORK,
                source_type=SourceType.DIGITAL_CREATION,
                alt_text=_("Process file for an appeal"),
                # One appeal per decision, a few files each: never refused for the upload rate
                # (a person appealing a ban must not be told to wait).
                rate_limited=False,
            )
            AppealFile.objects.get_or_create(asset=asset)
            appeal.files.add(asset)
        log_action(kind=ActionLog.Kind.APPEAL, case=case, actor=user, reason=statement)
    return appeal


def _appeal_outcome(case: Case, *, upheld: bool, reopened: bool) -> str:
    """The first line of the notice telling the person how their appeal was decided."""
    if case.decision == Decision.SUSPENDED:
        if upheld and reopened:
            return _(
                "Your appeal was upheld: the suspension is lifted and your account is reopened."
            )
        if upheld:
            return _(
                "Your appeal was upheld: this suspension is lifted, but another suspension or "
                "ban still keeps your account closed."
            )
        return _("Your appeal was denied: the suspension stands.")
    if case.decision == Decision.BANNED:
        if upheld and reopened:
            return _("Your appeal was upheld: the ban is lifted and your account is reopened.")
        if upheld:
            return _(
                "Your appeal was upheld: this ban is lifted, but another suspension or ban "
                "still keeps your account closed."
            )
        return _("Your appeal was denied: the ban stands.")
    label = targets.get(case.target_type).label
    return (
        _("Your appeal was upheld: your %(what)s is restored.")
        if upheld
        else _("Your appeal was denied: the removal of your %(what)s stands.")
    ) % {"what": label}


def appeal_decide(*, appeal: Appeal, moderator: User, upheld: bool, reason: str) -> Appeal:
    """Another moderator decides. Upheld, a removal is undone (the work restored and
    unblocked) and a suspension or ban is lifted (the account reopens unless another live
    sanction remains); denied, the decision stands. The moderator who made the decision
    cannot decide its appeal."""
    _require_moderator(moderator)
    reason = reason.strip()
    if not reason:
        raise ModerationError(_("Give a reason: the artist will read it."))
    case = appeal.case
    if case.decided_by_id == moderator.pk:
        raise ModerationError(
            _("You made this decision: another moderator must decide the appeal."), status=403
        )
    if case.subject_id == moderator.pk:
        raise ModerationError(_("Another moderator must decide a case about you."), status=403)
    with transaction.atomic():
        locked = Appeal.objects.select_for_update().filter(pk=appeal.pk).first()
        if locked is None or locked.status != Appeal.Status.OPEN:
            raise ModerationError(_("This appeal was already decided."), status=409)
        now = timezone.now()
        status = Appeal.Status.UPHELD if upheld else Appeal.Status.DENIED
        Appeal.objects.filter(pk=appeal.pk).update(
            status=status, decided_by=moderator, decision_reason=reason, decided_at=now
        )
        appeal.refresh_from_db()
        reopened = False
        log_action(
            kind=ActionLog.Kind.APPEAL_UPHELD if upheld else ActionLog.Kind.APPEAL_DENIED,
            case=case,
            actor=moderator,
            reason=reason,
        )
        if upheld and case.decision in SANCTIONS:
            for sanction in AccountSanction.objects.select_for_update().filter(
                case=case, lifted_at__isnull=True
            ):
                sanction_lift(sanction, now=now, actor=moderator, reason=reason)
            reopened = User.objects.filter(pk=case.subject_id, is_active=True).exists()
        elif upheld:
            _reinstate(case, by=moderator, reason=reason)
        notice_send(
            recipient_id=case.subject_id,
            case=case,
            subject=_("The decision on your appeal"),
            body="\n".join(
                [
                    _appeal_outcome(case, upheld=upheld, reopened=reopened),
                    "",
                    _("The reason they gave:"),
                    reason,
                ]
            ),
        )
    return appeal


def notices_mark_read(*, user: User) -> int:
    return Notice.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
