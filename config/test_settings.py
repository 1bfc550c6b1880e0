"""Settings for the test suite: the production settings with fast, isolated local state.

The database comes from ``IMPASTO_DATABASE_URL`` as in production, so the same suite runs on
SQLite and on PostgreSQL (``scripts/test`` runs both).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

_data = Path(tempfile.mkdtemp(prefix="impasto-test-"))
os.environ.setdefault("IMPASTO_DATA_DIR", str(_data))
os.environ.setdefault("IMPASTO_SECRET_KEY", "test-secret-key-not-for-production-" + "x" * 20)

from config.env import BASE_DIR  # noqa: E402
from config.settings import *  # noqa: E402,F403
from config.settings import DATABASES, STORAGES  # noqa: E402

# Several checkouts may test at once against one PostgreSQL server and one Redis: name the
# test database and the Redis key prefix after this checkout so they never collide.
CHECKOUT_TAG = hashlib.sha1(str(BASE_DIR).encode(), usedforsecurity=False).hexdigest()[:8]
DATABASES["default"].setdefault("TEST", {})["NAME"] = (
    f"test_impasto_{CHECKOUT_TAG}"
    if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3"
    else None
)

# argon2 is deliberately slow; tests that care about hashing select it explicitly.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "media"],
    }
}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
