"""Settings for running ``impasto scan`` in a child process from the tests.

The child cannot see the test database (SQLite in memory, or a PostgreSQL test database the
test session owns), so it runs every file detector and leaves out only the blocklist; the
blocklist's part of ``impasto scan`` is tested in-process with ``call_command``.
"""

from config.test_settings import *  # noqa: F403
from config.test_settings import DETECTORS

DETECTORS = [entry for entry in DETECTORS if not entry["BACKEND"].endswith("BlocklistDetector")]
