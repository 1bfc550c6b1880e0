"""A periodic job's declaration, importable from an ``AppConfig`` (no models here).

See :mod:`impasto.core.periodic` for how jobs are found and run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta


@dataclass(frozen=True)
class PeriodicJob:
    """Run the management command ``command`` (with ``args``) every ``every``."""

    command: str
    every: timedelta
    args: tuple[str, ...] = field(default=())

    @property
    def name(self) -> str:
        return " ".join((self.command, *self.args))
