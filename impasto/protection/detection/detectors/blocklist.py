"""Pictures that look like a work already removed as AI-generated or as stolen (weak).

A match is weak evidence: perceptual hashes also match a legitimate repost, an artist's own
work re-uploaded after an upheld appeal, or a study of the same reference photo, so a person
decides. The upload and its mirror image are both checked (a flipped copy is the cheapest
disguise); crops beyond a few percent defeat both hashes (../shared/ANTI-AI.md B3).
"""

from __future__ import annotations

from collections.abc import Iterable

from PIL import ImageOps

from impasto.protection.detection import vocab
from impasto.protection.detection.base import Detector, Evidence, weak
from impasto.protection.detection.hashing import HASH_SIDE, hashes_of_image
from impasto.protection.detection.selectors import blocked_hash_matches
from impasto.protection.detection.subject import Subject

REASONS = {"ai": "AI-generated", "stolen": "stolen"}


class BlocklistDetector(Detector):
    name = "blocklist"

    def detect(self, subject: Subject) -> Iterable[Evidence]:
        if not subject.pixels_allowed():
            return []
        image = subject.preview(HASH_SIDE)
        found: dict[int, Evidence] = {}
        for variant, picture in (("", image), (" (mirrored)", ImageOps.mirror(image))):
            for match in blocked_hash_matches(hashes=hashes_of_image(picture)):
                blocked = match.blocked
                refs = ", ".join(
                    f"{label} {value}"
                    for label, value in (("case", blocked.case_ref), ("asset", blocked.asset_ref))
                    if value
                )
                reason = REASONS.get(blocked.reason, blocked.reason)
                found.setdefault(
                    blocked.pk,
                    weak(
                        vocab.HASH_MATCH,
                        f"looks like a work removed as {reason}{variant}:"
                        f" {match.hash_name} distance {match.distance}"
                        + (f" ({refs})" if refs else ""),
                    ),
                )
        return list(found.values())
