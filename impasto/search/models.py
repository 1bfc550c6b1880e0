"""Search keeps no Django models: its indexes live in the database itself.

- SQLite: FTS5 virtual tables ``search_post_fts`` and ``search_person_fts`` (tokenizer
  ``unicode61 remove_diacritics 2``), filled by triggers on the social and accounts tables
  (migration ``0001_full_text_indexes``, which runs only on SQLite).
- PostgreSQL: GIN indexes on ``to_tsvector('simple', impasto_unaccent(...))`` expressions of
  those same tables, with ``unaccent`` wrapped in an immutable function so an index can use it
  (same migration, PostgreSQL only).
"""
