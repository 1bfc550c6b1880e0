"""Building blocks shared by every app's models."""

from __future__ import annotations

from typing import Any

from django.db import models

from impasto.core.ids import snowflake


class SnowflakeField(models.BigIntegerField[int, int]):
    """A primary key filled with :func:`impasto.core.ids.snowflake` on creation."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("primary_key", True)
        kwargs.setdefault("default", snowflake)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        for key, value in (("primary_key", True), ("default", snowflake), ("editable", False)):
            if kwargs.get(key) == value:
                kwargs.pop(key)
        return name, path, args, kwargs


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class PeriodicRun(models.Model):
    """When each periodic job (:mod:`impasto.core.periodic`) last ran, and how it went."""

    name = models.CharField(max_length=200, primary_key=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_ok = models.BooleanField(null=True)
    last_output = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.name
