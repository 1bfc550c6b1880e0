"""Reads of the perceptual-hash blocklist."""

from __future__ import annotations

from dataclasses import dataclass

from impasto.core import perceptual
from impasto.protection.detection.models import BlockedImageHash


@dataclass(frozen=True)
class HashMatch:
    blocked: BlockedImageHash
    hash_name: str  # "PDQ" or "pHash": the one the match was decided on
    distance: int


def blocked_hash_matches(*, hashes: perceptual.PerceptualHashes) -> list[HashMatch]:
    """Blocked pictures that ``hashes`` matches (the thresholds of impasto.core.perceptual).

    PDQ decides when both sides have one (it is the more precise), pHash otherwise. This reads
    every row and compares in Python: fine for the thousands of removals a young site has;
    past that, index the hashes (a BK-tree, or PDQ in a FAISS binary index as Meta's HMA does)
    behind this same function.
    """
    matches: list[HashMatch] = []
    for blocked in BlockedImageHash.objects.order_by("pk").iterator(chunk_size=2000):
        if hashes.pdq and blocked.pdq:
            name, distance = "PDQ", perceptual.hamming(hashes.pdq, blocked.pdq)
            limit = perceptual.PDQ_MATCH
        else:
            name, distance = "pHash", perceptual.hamming(hashes.phash, blocked.phash)
            limit = perceptual.PHASH_MATCH
        if distance <= limit:
            matches.append(HashMatch(blocked=blocked, hash_name=name, distance=distance))
    return matches
