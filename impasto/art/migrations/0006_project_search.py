"""Full-text index of projects for search (docs/feeds.md, "Search"), one kind per database.

The words of a project: its title, its tags, its fields, mediums and software (the keys, such
as ``digital-painting``), and its description.

- SQLite: an FTS5 table ``art_project_fts (title, tags, vocab, description)`` whose rowid is
  the project id, kept by triggers on ``art_project`` and ``art_projecttag``.
- PostgreSQL: a ``tsvector`` column ``art_project.search_vector`` (title weighted A, tags and
  vocabulary B, description C) kept by a trigger, with a GIN index. A trigger rather than a
  generated column because the tags live in another table. The Django model does not declare
  the column (impasto.search.backends.StoredVector refers to it).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

_ROW = """SELECT p.id, p.title,
        coalesce((SELECT group_concat(t.name, ' ') FROM art_projecttag pt
                  JOIN social_tag t ON t.id = pt.tag_id WHERE pt.project_id = p.id), ''),
        p.fields || ' ' || p.mediums || ' ' || p.software, p.description
    FROM art_project p WHERE p.id = {id}"""
_INSERT = "INSERT INTO art_project_fts(rowid, title, tags, vocab, description) "

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE art_project_fts USING fts5(
        title, tags, vocab, description, tokenize = 'unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER art_project_fts_ai AFTER INSERT ON art_project BEGIN
        {_INSERT} {_ROW.format(id="new.id")};
    END""",
    f"""CREATE TRIGGER art_project_fts_au
        AFTER UPDATE OF title, description, fields, mediums, software ON art_project BEGIN
        DELETE FROM art_project_fts WHERE rowid = old.id;
        {_INSERT} {_ROW.format(id="new.id")};
    END""",
    """CREATE TRIGGER art_project_fts_ad AFTER DELETE ON art_project BEGIN
        DELETE FROM art_project_fts WHERE rowid = old.id;
    END""",
    f"""CREATE TRIGGER art_projecttag_fts_ai AFTER INSERT ON art_projecttag BEGIN
        DELETE FROM art_project_fts WHERE rowid = new.project_id;
        {_INSERT} {_ROW.format(id="new.project_id")};
    END""",
    f"""CREATE TRIGGER art_projecttag_fts_ad AFTER DELETE ON art_projecttag BEGIN
        DELETE FROM art_project_fts WHERE rowid = old.project_id;
        {_INSERT} {_ROW.format(id="old.project_id")};
    END""",
    f"{_INSERT} {_ROW.format(id='p.id').replace(' WHERE p.id = p.id', '')}",
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS art_projecttag_fts_ad",
    "DROP TRIGGER IF EXISTS art_projecttag_fts_ai",
    "DROP TRIGGER IF EXISTS art_project_fts_ad",
    "DROP TRIGGER IF EXISTS art_project_fts_au",
    "DROP TRIGGER IF EXISTS art_project_fts_ai",
    "DROP TABLE IF EXISTS art_project_fts",
]

POSTGRES_FORWARD = [
    "ALTER TABLE art_project ADD COLUMN search_vector tsvector",
    """CREATE FUNCTION art_project_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector :=
            setweight(to_tsvector('simple'::regconfig, impasto_unaccent(NEW.title)), 'A')
            || setweight(to_tsvector('simple'::regconfig, impasto_unaccent(coalesce((
                SELECT string_agg(t.name, ' ') FROM art_projecttag pt
                JOIN social_tag t ON t.id = pt.tag_id WHERE pt.project_id = NEW.id), ''))), 'B')
            || setweight(to_tsvector('simple'::regconfig, impasto_unaccent(
                NEW.fields::text || ' ' || NEW.mediums::text || ' ' || NEW.software::text)), 'B')
            || setweight(to_tsvector('simple'::regconfig, impasto_unaccent(NEW.description)), 'C');
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER art_project_search_vector
        BEFORE INSERT OR UPDATE OF title, description, fields, mediums, software, search_vector
        ON art_project FOR EACH ROW EXECUTE FUNCTION art_project_search_vector()""",
    """CREATE FUNCTION art_projecttag_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        -- Setting the column fires art_project_search_vector, which recomputes it.
        UPDATE art_project SET search_vector = NULL WHERE id = (
            CASE WHEN TG_OP = 'DELETE' THEN OLD.project_id ELSE NEW.project_id END);
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER art_projecttag_search_vector AFTER INSERT OR DELETE ON art_projecttag
        FOR EACH ROW EXECUTE FUNCTION art_projecttag_search_vector()""",
    "UPDATE art_project SET search_vector = NULL",
    "CREATE INDEX art_project_search ON art_project USING gin (search_vector)",
]

POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS art_projecttag_search_vector ON art_projecttag",
    "DROP FUNCTION IF EXISTS art_projecttag_search_vector()",
    "DROP TRIGGER IF EXISTS art_project_search_vector ON art_project",
    "DROP FUNCTION IF EXISTS art_project_search_vector()",
    "DROP INDEX IF EXISTS art_project_search",
    "ALTER TABLE art_project DROP COLUMN IF EXISTS search_vector",
]


def forward(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}.get(vendor, []):
        schema_editor.execute(statement)


def backward(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("art", "0005_project_cloak_level"),
        ("search", "0001_full_text_indexes"),  # impasto_unaccent on PostgreSQL
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
