"""The vocabulary every detector shares: evidence, verdicts, and the detector interface.

A detector looks at one :class:`~impasto.protection.detection.subject.Subject` (the original
upload, never a re-encoded copy) and reports what it found as :class:`Evidence`. It never
decides the verdict: :func:`verdict_for` does that from all the evidence together, so the rule
"one strong signal holds the work, weak signals only ask a person to look" lives in one place.
"""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from impasto.protection.detection.subject import Subject


class Strength(enum.StrEnum):
    """How much one piece of evidence weighs.

    STRONG: the file itself declares or carries a generator's own mark (a C2PA or IPTC
    declaration, generator parameters, a generator watermark). Any one holds the work.
    WEAK: a hint a person should look at (a generator's name in a free-text tag, a classifier
    score, a picture that looks like one already removed). Never holds a work alone.
    """

    STRONG = "strong"
    WEAK = "weak"


class Verdict(enum.StrEnum):
    AI = "ai"  # at least one strong signal: hold the work for review
    REVIEW = "review"  # weak signals only: a person should look
    CLEAR = "clear"  # nothing found (which does not prove a human made it)


#: The signal name of evidence that records a detector failure instead of a finding.
ERROR_SIGNAL = "error"


@dataclass(frozen=True)
class Evidence:
    """One finding: which signal, what exactly was found, and how much it weighs.

    ``strength`` is None only for ``signal == "error"``: a detector that failed on this file.
    ``detail`` is technical (keywords, URIs, scores, manifest labels) and stays in English; the
    stable ``signal`` name is what an interface translates (see ``vocab.SIGNAL_LABELS``).
    """

    signal: str
    detail: str
    strength: Strength | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "signal": self.signal,
            "detail": self.detail,
            "strength": self.strength.value if self.strength else None,
        }


def strong(signal: str, detail: str) -> Evidence:
    return Evidence(signal=signal, detail=detail, strength=Strength.STRONG)


def weak(signal: str, detail: str) -> Evidence:
    return Evidence(signal=signal, detail=detail, strength=Strength.WEAK)


def verdict_for(evidence: Iterable[Evidence]) -> Verdict:
    strengths = {item.strength for item in evidence}
    if Strength.STRONG in strengths:
        return Verdict.AI
    if Strength.WEAK in strengths:
        return Verdict.REVIEW
    return Verdict.CLEAR


@dataclass(frozen=True)
class ScanResult:
    verdict: Verdict
    evidence: tuple[Evidence, ...] = field(default=())

    @classmethod
    def from_evidence(cls, evidence: Iterable[Evidence]) -> ScanResult:
        items = tuple(evidence)
        return cls(verdict=verdict_for(items), evidence=items)

    @property
    def errors(self) -> tuple[Evidence, ...]:
        return tuple(item for item in self.evidence if item.signal == ERROR_SIGNAL)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form: what the pipeline stores and ``impasto scan`` prints."""
        return {
            "verdict": self.verdict.value,
            "evidence": [item.as_dict() for item in self.evidence],
        }


class DetectorError(Exception):
    """A detector could not look at this file (a service down, a malformed structure).

    The scan records it as ``error`` evidence of no strength and goes on: an error never holds
    a work and never stops the other detectors.
    """


class Detector(ABC):
    """One signal family. Subclasses are listed by dotted path in ``settings.DETECTORS``.

    The constructor takes the entry's ``OPTIONS`` as keyword arguments and should fail there
    (with ``ImproperlyConfigured``) when they are wrong, so ``manage.py check`` reports it at
    start-up rather than at the first upload. ``detect`` must be bounded: read only capped
    amounts of metadata and decode pixels only through ``Subject.pixels``.
    """

    #: Short stable name used in logs and in error evidence.
    name: ClassVar[str]
    #: True for detectors that cost money or much time (hosted APIs, classifiers): the scan
    #: skips them once a strong signal is already in hand.
    skip_when_strong: ClassVar[bool] = False

    @abstractmethod
    def detect(self, subject: Subject) -> Iterable[Evidence]:
        """Yield the evidence found in ``subject`` (nothing when the signal is absent)."""
