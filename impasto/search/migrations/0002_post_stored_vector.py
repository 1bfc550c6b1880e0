"""PostgreSQL: the posts' ``tsvector`` stored once, on write, instead of recomputed per row.

Migration 0001 indexed an expression (``to_tsvector('simple', impasto_unaccent(body || ' ' ||
content_warning))``). When a word is common the GIN bitmap outgrows ``work_mem`` and goes
lossy, and PostgreSQL rechecks every row of every page it reads by computing that expression
again: seconds for a word in a third of a million posts (docs/scaling.md). A stored generated
column ``social_post.search_vector`` holds the same value, computed on insert and update, with
its own GIN index; a recheck then reads the column. The Django model does not declare it
(:class:`impasto.search.backends.StoredVector` refers to it). On SQLite this migration does
nothing: the FTS5 table of 0001 already stores the words.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

POSTGRES_FORWARD = [
    """ALTER TABLE social_post ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        to_tsvector('simple'::regconfig, impasto_unaccent(body || ' ' || content_warning))
    ) STORED""",
    "CREATE INDEX search_post_vector ON social_post USING gin (search_vector)",
    "DROP INDEX IF EXISTS search_post_fts",
]

POSTGRES_BACKWARD = [
    """CREATE INDEX IF NOT EXISTS search_post_fts ON social_post USING gin (
        to_tsvector('simple'::regconfig, impasto_unaccent(body || ' ' || content_warning)))""",
    "DROP INDEX IF EXISTS search_post_vector",
    "ALTER TABLE social_post DROP COLUMN IF EXISTS search_vector",
]


def forward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_FORWARD:
            schema_editor.execute(statement)


def backward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_full_text_indexes")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
