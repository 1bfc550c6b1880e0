"""Two full-text backends behind one interface: SQLite FTS5 and PostgreSQL text search.

Each answers "which rows match these words, best first" with ids and a rank; visibility,
blocks and facets are applied afterwards by :mod:`impasto.search.selectors`, on the ids, with
the ordinary querysets. Queries are reduced to words (letters and digits) before they reach
either engine, so no user input is ever parsed as search syntax, and each word matches as a
prefix (``water`` finds ``watercolor``). Accents and case are ignored on both engines
(``unicode61 remove_diacritics 2``; ``unaccent`` with the ``simple`` configuration), which is
what a French and English site needs more than stemming.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Protocol

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Expression, F, FloatField, Func, QuerySet, Value
from django.db.models.expressions import Col

from impasto.accounts.models import Profile, User
from impasto.social.models import Post

MAX_TERMS = 8
POST_POOL = 1000  # PostgreSQL: posts ranked per query, the newest matches
RECENT_WINDOW = 10_000  # PostgreSQL: newest posts tried first for the pool (common words)
_WORD = re.compile(r"\w+")


class Vector(Func):
    """``to_tsvector('simple', impasto_unaccent(a || ' ' || b))``: the expression the GIN
    indexes of migration 0001 are built on (keep the two identical, or the index is unused).
    A ``Func`` rather than raw SQL, so Django qualifies the columns inside subqueries too."""

    template = "to_tsvector('simple'::regconfig, impasto_unaccent(%(expressions)s))"
    arg_joiner = " || ' ' || "
    output_field = SearchVectorField()


class StoredVector(Expression):
    """A ``tsvector`` column that the database keeps and the Django model does not declare
    (``social_post.search_vector``, a stored generated column; ``art_project.search_vector``,
    kept by a trigger), referred to through the queryset's own alias of the table, so it works
    inside subqueries (``U0."search_vector"``) as well as at the top."""

    output_field = SearchVectorField()

    def __init__(self, column: str) -> None:
        super().__init__()
        self.column = column

    def resolve_expression(  # type: ignore[override]
        self, query: Any = None, *args: Any, **kwargs: Any
    ) -> Col:
        pk: Any = F("pk").resolve_expression(query, *args, **kwargs)
        target = SearchVectorField()
        target.set_attributes_from_name(self.column)
        target.model = pk.target.model
        return Col(pk.alias, target)


@dataclass(frozen=True)
class TextIndex:
    """Where a kind's words are indexed, on each database (a registered kind brings its own).

    ``fts_table``: the SQLite FTS5 table whose ``rowid`` is the row's primary key, ranked by
    ``bm25`` with ``weights`` (one per FTS column). ``vector_column``: the PostgreSQL
    ``tsvector`` column of the model's own table, with a GIN index."""

    fts_table: str
    weights: tuple[float, ...]
    vector_column: str


def terms_of(query: str) -> list[str]:
    """The words of a query (NFC, at most ``MAX_TERMS``): the only part that reaches SQL."""
    text = unicodedata.normalize("NFC", query)
    return [w for w in _WORD.findall(text) if w.strip("_")][:MAX_TERMS]


class Backend(Protocol):
    def post_ids(self, terms: list[str], *, candidates: QuerySet[Post], limit: int) -> list[int]:
        """Ids of ``candidates`` matching every term, best first."""
        ...

    def person_ids(
        self, terms: list[str], *, candidates: QuerySet[User], limit: int
    ) -> list[int]: ...

    def ranked_ids(
        self, index: TextIndex, terms: list[str], *, candidates: QuerySet[Any], limit: int
    ) -> list[int]:
        """Ids of ``candidates`` matching every term in ``index``, best first."""
        ...


class SQLiteBackend:
    """FTS5: ``MATCH`` with each term quoted and as a prefix, ranked by ``bm25``."""

    @staticmethod
    def _match(terms: list[str]) -> str:
        return " AND ".join(f'"{t}"*' for t in terms)

    RANKED = {
        "posts": "SELECT rowid FROM search_post_fts WHERE search_post_fts MATCH %s "
        "ORDER BY bm25(search_post_fts) LIMIT %s",
        # A name match weighs more than a bio match (bm25 column weights).
        "people": "SELECT rowid FROM search_person_fts WHERE search_person_fts MATCH %s "
        "ORDER BY bm25(search_person_fts, 4.0, 4.0, 1.0) LIMIT %s",
    }

    def _ranked(self, kind: str, terms: list[str], limit: int) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(self.RANKED[kind], [self._match(terms), limit])
            return [row[0] for row in cursor.fetchall()]

    def ranked_ids(
        self, index: TextIndex, terms: list[str], *, candidates: QuerySet[Any], limit: int
    ) -> list[int]:
        table = connection.ops.quote_name(index.fts_table)
        weights = ", ".join(str(float(w)) for w in index.weights)
        # The table and weights come from code (a registered TextIndex), never from input.
        sql = (
            f"SELECT rowid FROM {table} WHERE {table} MATCH %s "  # noqa: S608
            f"ORDER BY bm25({table}{', ' if weights else ''}{weights}) LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self._match(terms), limit * 10])
            pool = [row[0] for row in cursor.fetchall()]
        allowed = set(candidates.filter(pk__in=pool).values_list("pk", flat=True))
        return [pk for pk in pool if pk in allowed][:limit]

    def post_ids(self, terms: list[str], *, candidates: QuerySet[Post], limit: int) -> list[int]:
        # Rank in FTS (a bounded pool), then keep the candidates the reader may see, in order.
        pool = self._ranked("posts", terms, limit * 10)
        allowed = set(candidates.filter(pk__in=pool).values_list("pk", flat=True))
        return [pk for pk in pool if pk in allowed][:limit]

    def person_ids(self, terms: list[str], *, candidates: QuerySet[User], limit: int) -> list[int]:
        pool = self._ranked("people", terms, limit * 10)
        allowed = set(candidates.filter(pk__in=pool).values_list("pk", flat=True))
        return [pk for pk in pool if pk in allowed][:limit]


class PostgresBackend:
    """``tsvector @@ to_tsquery('simple', unaccent('w1:* & w2:*'))``, ranked by ``ts_rank``."""

    @staticmethod
    def _query(terms: list[str]) -> SearchQuery:
        raw = " & ".join(f"{t}:*" for t in terms)
        return SearchQuery(
            Func(Value(raw), function="impasto_unaccent"), config="simple", search_type="raw"
        )

    @staticmethod
    def _recent_matches(terms: list[str]) -> list[int]:
        """The newest POST_POOL posts among the newest RECENT_WINDOW that match (fewer when
        the words are not common)."""
        raw = " & ".join(f"{t}:*" for t in terms)  # words only (terms_of): no syntax
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM (SELECT id, search_vector FROM social_post "
                "ORDER BY id DESC LIMIT %s) AS recent "
                "WHERE search_vector @@ to_tsquery('simple'::regconfig, impasto_unaccent(%s)) "
                "ORDER BY id DESC LIMIT %s",
                [RECENT_WINDOW, raw, POST_POOL],
            )
            return [row[0] for row in cursor.fetchall()]

    def post_ids(self, terms: list[str], *, candidates: QuerySet[Post], limit: int) -> list[int]:
        # The stored generated column of migration 0002 (to_tsvector computed once, on write).
        vector = StoredVector("search_vector")
        query = self._query(terms)
        # Rank within the newest POST_POOL matches only: a common word can match a third of
        # the site, and ranking (and checking visibility of) all of them costs seconds.
        # "id + 0": ordered by an expression, so PostgreSQL reads the matches from the GIN
        # index and sorts them, instead of walking the primary key backwards and testing
        # every post against the query (seconds for a word nobody wrote).
        # The pool is fetched first, on its own: as a sub-select, PostgreSQL planned the
        # visibility joins over every post and semi-joined the pool afterwards (seconds).
        # A common word fills it from the newest RECENT_WINDOW posts (the primary key read
        # backwards, the stored vector tested: ~13 ms for a word in a third of the posts,
        # where the GIN bitmap reads every page that holds a match: ~850 ms); a rarer word
        # falls through to the GIN index.
        newest = self._recent_matches(terms)
        if len(newest) < POST_POOL:
            newest = _newest_matches(Post, vector, query)
        return _ranked_within(candidates, newest, vector, query, limit)

    def person_ids(self, terms: list[str], *, candidates: QuerySet[User], limit: int) -> list[int]:
        query = self._query(terms)
        user_vector = Vector(F("handle"), F("display_name"))
        by_name = candidates.alias(document=user_vector).filter(document=query)
        bio_vector = Vector(F("bio"))
        by_bio = Profile.objects.alias(document=bio_vector).filter(document=query)
        rows = (
            candidates.filter(pk__in=by_name.values("pk"))
            | candidates.filter(pk__in=by_bio.values("user_id"))
        ).annotate(
            # A name match outranks a bio match.
            rank=SearchRank(user_vector, query) * Value(2.0, output_field=FloatField())
            + Value(0.1, output_field=FloatField())
        )
        return list(rows.order_by("-rank", F("pk").desc()).values_list("pk", flat=True)[:limit])

    def ranked_ids(
        self, index: TextIndex, terms: list[str], *, candidates: QuerySet[Any], limit: int
    ) -> list[int]:
        vector = StoredVector(index.vector_column)
        query = self._query(terms)
        # Ranked among the newest POST_POOL matches, as posts are (see post_ids).
        newest = _newest_matches(candidates.model, vector, query)
        return _ranked_within(candidates, newest, vector, query, limit)


def _newest_matches(model: Any, vector: Any, query: Any) -> list[int]:
    """The newest POST_POOL rows of ``model`` matching ``query``, from its GIN index ("id + 0":
    ordered by an expression, so PostgreSQL does not walk the primary key testing every row)."""
    return list(
        model.objects.alias(document=vector, newest=F("id") + 0)
        .filter(document=query)
        .order_by("-newest")
        .values_list("pk", flat=True)[:POST_POOL]
    )


def _ranked_within(
    candidates: QuerySet[Any], pool: list[int], vector: Any, query: Any, limit: int
) -> list[int]:
    """The ``candidates`` (visibility applied) among ``pool``, best ranked first."""
    if not pool:
        return []
    rows = (
        candidates.filter(pk__in=pool)
        .annotate(rank=SearchRank(vector, query))
        .order_by("-rank", "-id")
        .values_list("pk", flat=True)[:limit]
    )
    return list(rows)


def backend() -> Backend:
    """The backend of the default database."""
    if connection.vendor == "postgresql":
        return PostgresBackend()
    return SQLiteBackend()
