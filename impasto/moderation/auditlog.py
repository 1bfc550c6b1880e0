"""The database side of the audit log's promise: rows are added, never changed or removed.

Triggers refuse every UPDATE and DELETE on ``moderation_actionlog`` (and TRUNCATE of a
non-empty log on PostgreSQL), whatever the client: the ORM, the admin, a raw SQL session.
Migration 0002 creates them; :func:`install` and :func:`uninstall` exist for the test suite, whose
transactional tests empty every table between tests.
"""

from __future__ import annotations

from typing import Any

TABLE = "moderation_actionlog"
MESSAGE = "moderation_actionlog is append-only"

SQLITE_INSTALL = [
    """CREATE TRIGGER IF NOT EXISTS moderation_actionlog_no_update
    BEFORE UPDATE ON moderation_actionlog
    BEGIN SELECT RAISE(ABORT, 'moderation_actionlog is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS moderation_actionlog_no_delete
    BEFORE DELETE ON moderation_actionlog
    BEGIN SELECT RAISE(ABORT, 'moderation_actionlog is append-only'); END""",
]
SQLITE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS moderation_actionlog_no_update",
    "DROP TRIGGER IF EXISTS moderation_actionlog_no_delete",
]

POSTGRESQL_INSTALL = [
    """CREATE OR REPLACE FUNCTION moderation_actionlog_refuse() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        -- TRUNCATE of an empty log loses nothing (test suites empty every table).
        IF TG_OP = 'TRUNCATE' AND NOT EXISTS (SELECT 1 FROM moderation_actionlog) THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION 'moderation_actionlog is append-only'
            USING ERRCODE = 'insufficient_privilege';
    END;
    $$""",
    "DROP TRIGGER IF EXISTS moderation_actionlog_no_change ON moderation_actionlog",
    """CREATE TRIGGER moderation_actionlog_no_change BEFORE UPDATE OR DELETE ON moderation_actionlog
    FOR EACH ROW EXECUTE FUNCTION moderation_actionlog_refuse()""",
    "DROP TRIGGER IF EXISTS moderation_actionlog_no_truncate ON moderation_actionlog",
    """CREATE TRIGGER moderation_actionlog_no_truncate BEFORE TRUNCATE ON moderation_actionlog
    FOR EACH STATEMENT EXECUTE FUNCTION moderation_actionlog_refuse()""",
]
POSTGRESQL_UNINSTALL = [
    "DROP TRIGGER IF EXISTS moderation_actionlog_no_change ON moderation_actionlog",
    "DROP TRIGGER IF EXISTS moderation_actionlog_no_truncate ON moderation_actionlog",
    "DROP FUNCTION IF EXISTS moderation_actionlog_refuse()",
]

STATEMENTS = {
    "sqlite": (SQLITE_INSTALL, SQLITE_UNINSTALL),
    "postgresql": (POSTGRESQL_INSTALL, POSTGRESQL_UNINSTALL),
}


def _run(connection: Any, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install(connection: Any) -> None:
    if connection.vendor in STATEMENTS:
        _run(connection, STATEMENTS[connection.vendor][0])


def uninstall(connection: Any) -> None:
    if connection.vendor in STATEMENTS:
        _run(connection, STATEMENTS[connection.vendor][1])
