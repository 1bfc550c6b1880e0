"""What each app keeps about a person, and how it leaves: the data export and the erasure.

Every app that stores something about a person declares, on its ``AppConfig``, dotted paths
to up to three functions (see docs/accounts.md, "Plugging into export and erasure")::

    class ArtConfig(AppConfig):
        name = "impasto.art"
        user_data_export = "impasto.art.services.user_data_export"
        user_data_erase = "impasto.art.services.user_data_erase"
        user_deletion_requested = "impasto.art.services.user_deletion_requested"

- ``user_data_export(*, user, writer)`` writes the app's part of the export through
  ``writer`` (an :class:`ExportWriter` scoped to a folder named after the app);
- ``user_data_erase(*, user)`` deletes or anonymises what the app keeps (files in storage
  included: a database cascade does not remove blobs). It runs inside the erasure's
  transaction, before the ``User`` row is deleted, and must be safe to run twice;
- ``user_deletion_requested(*, user)`` stops at once what must not outlive the request
  (API tokens, subscriptions) while the account waits out its grace period.

Declaring instead of registering at import time keeps the list explicit, ordered (exports in
``INSTALLED_APPS`` order, erasures in reverse, so an app is erased before the apps it builds on)
and free of import-order surprises.
"""

from __future__ import annotations

import json
import posixpath
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol
from zipfile import ZipFile

from django.apps import apps
from django.core.files.storage import Storage
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from impasto.accounts.models import User


class ExportWriter:
    """Writes one app's part of a data export, inside a folder of its own in the zip."""

    def __init__(self, archive: ZipFile, folder: str) -> None:
        self._archive = archive
        self.folder = folder

    def _path(self, name: str) -> str:
        path = posixpath.normpath(posixpath.join(self.folder, name))
        if name.startswith("/") or not path.startswith(f"{self.folder}/"):
            raise ValueError(f"{name!r} would leave the {self.folder!r} folder of the export")
        return path

    def add_json(self, name: str, data: Any) -> None:
        text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        self._archive.writestr(self._path(name), text + "\n")

    def add_bytes(self, name: str, data: bytes) -> None:
        self._archive.writestr(self._path(name), data)

    def add_file(self, name: str, *, storage: Storage, key: str) -> None:
        """Copy a stored file (an original, a picture) into the archive without loading it."""
        with storage.open(key, "rb") as source, self._archive.open(self._path(name), "w") as out:
            shutil.copyfileobj(source, out, 1024 * 1024)


class Exporter(Protocol):
    def __call__(self, *, user: User, writer: ExportWriter) -> None: ...


class Eraser(Protocol):
    def __call__(self, *, user: User) -> None: ...


@dataclass(frozen=True)
class UserDataHooks:
    app_label: str
    export: Exporter | None
    erase: Eraser | None
    deletion_requested: Eraser | None


def _load(path: str | None) -> Callable[..., None] | None:
    return import_string(path) if path else None


def user_data_hooks() -> list[UserDataHooks]:
    """The hooks of every installed app that declares any, in ``INSTALLED_APPS`` order."""
    found = []
    for config in apps.get_app_configs():
        paths = [
            getattr(config, attribute, None)
            for attribute in ("user_data_export", "user_data_erase", "user_deletion_requested")
        ]
        if any(paths):
            export, erase, requested = (_load(path) for path in paths)
            found.append(
                UserDataHooks(
                    app_label=config.label,
                    export=export,
                    erase=erase,
                    deletion_requested=requested,
                )
            )
    return found
