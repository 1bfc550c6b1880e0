"""The plain-text summary of a verify report, for an artist to attach to a takedown request.

Plain text on purpose: it goes into a hosting provider's web form or an email, and must read
the same everywhere. It states what was found and what was not, and how each thing was read,
so the recipient can weigh it; it never claims more than the checks show.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from impasto.accounts.models import User
from impasto.imaging.selectors import NearWork


def _yes_no(value: object) -> str:
    return str(value) if value else _("none")


def summary(
    *, owner: User, report: dict[str, Any], nearest: list[NearWork], checked_sha256: str,
    now: dt.datetime,
) -> str:  # fmt: skip
    site = settings.SITE_URL.rstrip("/")
    lines = [
        _("Provenance report from %(site)s") % {"site": site},
        _("Prepared %(date)s for @%(handle)s (%(profile)s)")
        % {
            "date": now.strftime("%Y-%m-%d %H:%M UTC"),
            "handle": owner.handle,
            "profile": f"{site}/@{owner.handle}",
        },
        "",
        _("File checked: %(format)s, %(width)s x %(height)s px, SHA-256 %(sha)s")
        % {
            "format": str(report.get("format", "?")).upper(),
            "width": report.get("width", "?"),
            "height": report.get("height", "?"),
            "sha": checked_sha256,
        },
        "",
    ]
    mark = report.get("watermark", {})
    if mark.get("found") and mark.get("known"):
        mine = mark.get("artist", {}).get("handle") == owner.handle
        lines.append(
            _(
                "1. Invisible owner watermark: FOUND. It names image %(id)s, uploaded to"
                " %(site)s on %(date)s by @%(handle)s%(mine)s."
            )
            % {
                "id": mark.get("asset_id"),
                "site": site,
                "date": str(mark.get("asset", {}).get("created_at", "?"))[:10],
                "handle": mark.get("artist", {}).get("handle", "?"),
                "mine": _(" (the account preparing this report)") if mine else "",
            }
        )
    elif mark.get("found"):
        lines.append(
            _("1. Invisible owner watermark: found identity %(id)s, not an image we know.")
            % {"id": mark.get("asset_id")}
        )
    else:
        lines.append(
            _(
                "1. Invisible owner watermark: not found (cropping, rotation or heavy"
                " re-encoding can remove it)."
            )
        )
    rights = report.get("rights") or {}
    lines.append(
        _(
            "2. Rights metadata (XMP): creator %(creator)s; copyright %(rights)s; web"
            " statement %(statement)s; data mining %(mining)s."
        )
        % {
            "creator": _yes_no(rights.get("creator")),
            "rights": _yes_no(rights.get("copyright")),
            "statement": _yes_no(rights.get("web_statement")),
            "mining": _yes_no(rights.get("data_mining")),
        }
    )
    c2pa = report.get("c2pa") or {}
    if c2pa.get("present"):
        training = ", ".join(f"{k}={v}" for k, v in (c2pa.get("training_mining") or {}).items())
        lines.append(
            _(
                "3. Content Credentials (C2PA): present, validation %(state)s; author"
                " %(author)s; AI training and mining: %(training)s."
            )
            % {
                "state": _yes_no(c2pa.get("validation_state")),
                "author": _yes_no(c2pa.get("author")),
                "training": training or _("none"),
            }
        )
    else:
        lines.append(_("3. Content Credentials (C2PA): none in this file."))
    if nearest:
        lines.append(_("4. Nearest of my works on %(site)s by perceptual hash:") % {"site": site})
        for near in nearest:
            lines.append(
                "   - "
                + _(
                    "image %(id)s, uploaded %(date)s: %(kind)s distance %(distance)s of"
                    " %(bits)s bits (%(verdict)s)"
                )
                % {
                    "id": near.asset.pk,
                    "date": near.asset.created_at.strftime("%Y-%m-%d"),
                    "kind": near.hash_kind.upper(),
                    "distance": near.distance,
                    "bits": near.bits,
                    "verdict": _("the same picture") if near.match else _("not a match"),
                }
            )
    else:
        lines.append(_("4. Nearest of my works by perceptual hash: no works to compare."))
    lines += [
        "",
        _(
            "Every work on %(site)s is published with a reservation of rights against text and"
            " data mining and AI training (EU Directive 2019/790, Art. 4(3)): %(policy)s"
        )
        % {"site": site, "policy": f"{site}/ai-policy/"},
    ]
    return "\n".join(lines) + "\n"
