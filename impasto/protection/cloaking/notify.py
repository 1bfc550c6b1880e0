"""The notice an artist gets when the images of a work have all been cloaked (or could not be).

``settings.CLOAKING["NOTIFY"]`` names a callable taking the job that finished last; it is called
once per request, after the last image of the work finishes. The default is :func:`email_owner`,
an email, because the in-app notifications (``impasto.social``) are not in main yet; the lead
can point the setting at a function that creates an in-app notification instead.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from impasto.protection.cloaking.models import CloakJob

Status = CloakJob.Status


def notice_text(job: CloakJob) -> tuple[str, str]:
    """The subject and body of the notice for the work of ``job``."""
    jobs = list(
        CloakJob.objects.of_work(owner_id=job.owner_id, work_id=job.work_id).order_by("asset_id")
    )
    done = [j for j in jobs if j.status == Status.DONE]
    problems = [j for j in jobs if j.status in {Status.FAILED, Status.UNAVAILABLE}]
    if job.level == "off" and not problems:
        subject = _("The cloak is off")
        lines = [_("Your work is served without a cloak again.")]
    elif not problems:
        subject = _("Your work is cloaked")
        lines = [
            _("All %(count)s images of your work are now served with their cloak.")
            % {"count": len(done)}
        ]
    else:
        subject = _("Your work could not be fully cloaked")
        lines = [
            _("%(count)s images are served without a cloak, as they were:")
            % {"count": len(problems)}
        ]
        lines += [f"- {j.error}" for j in problems]
    lines += [
        "",
        _(
            "A cloak disturbs AI models that see pictures the way its encoder does; it does not"
            " stop every model, and it can be removed. See %(url)s for what it does."
        )
        % {"url": f"{settings.SITE_URL}/ai-policy/"},
    ]
    return subject, "\n".join(lines)


def email_owner(job: CloakJob) -> None:
    if not job.owner.email:
        return
    subject, body = notice_text(job)
    send_mail(
        f"[{settings.SITE_NAME}] {subject}",
        body,
        settings.DEFAULT_FROM_EMAIL,
        [job.owner.email],
    )
