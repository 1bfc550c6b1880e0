"""Search keeps no Django models: its indexes live in the database itself.

- SQLite: FTS5 virtual tables ``search_post_fts`` and ``search_person_fts`` (tokenizer
  ``unicode61 remove_diacritics 2``), filled by triggers on the social and accounts tables
  (migration ``0001_full_text_indexes``, which runs only on SQLite).
- PostgreSQL: a stored generated ``tsvector`` column ``social_post.search_vector`` with a GIN
  index (migration ``0002_post_stored_vector``), and GIN indexes on
  ``to_tsvector('simple', impasto_unaccent(...))`` expressions of the people's tables (0001),
  with ``unaccent`` wrapped in an immutable function so an index can use it.
- Other apps index their own rows (projects: ``art/0006_project_search``) and describe the
  index with :class:`impasto.search.backends.TextIndex`.
"""
