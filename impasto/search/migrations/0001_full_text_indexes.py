"""Full-text indexes, one kind per database (see impasto/search/backends.py).

Written as RunSQL rather than models: FTS5 virtual tables and expression GIN indexes have no
Django model field, and each statement runs only on the database it is written for.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

SQLITE_FORWARD = [
    # Posts: the text and the content warning; rowid is the post id.
    """CREATE VIRTUAL TABLE search_post_fts USING fts5(
        body, content_warning, tokenize = 'unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER search_post_ai AFTER INSERT ON social_post BEGIN
        INSERT INTO search_post_fts(rowid, body, content_warning)
        VALUES (new.id, new.body, new.content_warning);
    END""",
    """CREATE TRIGGER search_post_au AFTER UPDATE OF body, content_warning ON social_post BEGIN
        DELETE FROM search_post_fts WHERE rowid = old.id;
        INSERT INTO search_post_fts(rowid, body, content_warning)
        VALUES (new.id, new.body, new.content_warning);
    END""",
    """CREATE TRIGGER search_post_ad AFTER DELETE ON social_post BEGIN
        DELETE FROM search_post_fts WHERE rowid = old.id;
    END""",
    """INSERT INTO search_post_fts(rowid, body, content_warning)
        SELECT id, body, content_warning FROM social_post""",
    # People: handle, display name, bio; rowid is the user id.
    """CREATE VIRTUAL TABLE search_person_fts USING fts5(
        handle, display_name, bio, tokenize = 'unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER search_person_user_ai AFTER INSERT ON accounts_user BEGIN
        INSERT INTO search_person_fts(rowid, handle, display_name, bio)
        VALUES (new.id, new.handle, new.display_name,
                coalesce((SELECT bio FROM accounts_profile WHERE user_id = new.id), ''));
    END""",
    """CREATE TRIGGER search_person_user_au AFTER UPDATE OF handle, display_name ON accounts_user
    BEGIN
        DELETE FROM search_person_fts WHERE rowid = old.id;
        INSERT INTO search_person_fts(rowid, handle, display_name, bio)
        VALUES (new.id, new.handle, new.display_name,
                coalesce((SELECT bio FROM accounts_profile WHERE user_id = new.id), ''));
    END""",
    """CREATE TRIGGER search_person_user_ad AFTER DELETE ON accounts_user BEGIN
        DELETE FROM search_person_fts WHERE rowid = old.id;
    END""",
    """CREATE TRIGGER search_person_profile_ai AFTER INSERT ON accounts_profile BEGIN
        DELETE FROM search_person_fts WHERE rowid = new.user_id;
        INSERT INTO search_person_fts(rowid, handle, display_name, bio)
        SELECT id, handle, display_name, new.bio FROM accounts_user WHERE id = new.user_id;
    END""",
    """CREATE TRIGGER search_person_profile_au AFTER UPDATE OF bio ON accounts_profile BEGIN
        DELETE FROM search_person_fts WHERE rowid = new.user_id;
        INSERT INTO search_person_fts(rowid, handle, display_name, bio)
        SELECT id, handle, display_name, new.bio FROM accounts_user WHERE id = new.user_id;
    END""",
    """INSERT INTO search_person_fts(rowid, handle, display_name, bio)
        SELECT u.id, u.handle, u.display_name, coalesce(p.bio, '')
        FROM accounts_user u LEFT JOIN accounts_profile p ON p.user_id = u.id""",
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_person_profile_au",
    "DROP TRIGGER IF EXISTS search_person_profile_ai",
    "DROP TRIGGER IF EXISTS search_person_user_ad",
    "DROP TRIGGER IF EXISTS search_person_user_au",
    "DROP TRIGGER IF EXISTS search_person_user_ai",
    "DROP TABLE IF EXISTS search_person_fts",
    "DROP TRIGGER IF EXISTS search_post_ad",
    "DROP TRIGGER IF EXISTS search_post_au",
    "DROP TRIGGER IF EXISTS search_post_ai",
    "DROP TABLE IF EXISTS search_post_fts",
]

# The expressions below must stay identical to impasto/search/backends.py (``Vector``), or
# PostgreSQL will not use the indexes.
POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """CREATE OR REPLACE FUNCTION impasto_unaccent(text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$""",
    """CREATE INDEX search_post_fts ON social_post USING gin (
        to_tsvector('simple'::regconfig, impasto_unaccent(body || ' ' || content_warning)))""",
    """CREATE INDEX search_user_fts ON accounts_user USING gin (
        to_tsvector('simple'::regconfig, impasto_unaccent(handle || ' ' || display_name)))""",
    """CREATE INDEX search_profile_fts ON accounts_profile USING gin (
        to_tsvector('simple'::regconfig, impasto_unaccent(bio)))""",
]

POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_profile_fts",
    "DROP INDEX IF EXISTS search_user_fts",
    "DROP INDEX IF EXISTS search_post_fts",
    "DROP FUNCTION IF EXISTS impasto_unaccent(text)",
]


def forward(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def backward(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("social", "0001_initial"),
        ("accounts", "0002_data_export"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
