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
from typing import Protocol

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import F, FloatField, Func, QuerySet, Value

from impasto.accounts.models import Profile, User
from impasto.social.models import Post

MAX_TERMS = 8
POST_POOL = 1000  # PostgreSQL: posts ranked per query, the newest matches
_WORD = re.compile(r"\w+")


class Vector(Func):
    """``to_tsvector('simple', impasto_unaccent(a || ' ' || b))``: the expression the GIN
    indexes of migration 0001 are built on (keep the two identical, or the index is unused).
    A ``Func`` rather than raw SQL, so Django qualifies the columns inside subqueries too."""

    template = "to_tsvector('simple'::regconfig, impasto_unaccent(%(expressions)s))"
    arg_joiner = " || ' ' || "
    output_field = SearchVectorField()


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

    def post_ids(self, terms: list[str], *, candidates: QuerySet[Post], limit: int) -> list[int]:
        vector = Vector(F("body"), F("content_warning"))
        query = self._query(terms)
        # Rank within the newest POST_POOL matches only: a common word can match a third of
        # the site, and ranking (and checking visibility of) all of them costs seconds.
        # "id + 0": ordered by an expression, so PostgreSQL reads the matches from the GIN
        # index and sorts them, instead of walking the primary key backwards and testing
        # every post against the query (seconds for a word nobody wrote).
        newest = (
            Post.objects.alias(document=vector, newest=F("id") + 0)
            .filter(document=query)
            .order_by("-newest")
            .values("pk")[:POST_POOL]
        )
        rows = (
            candidates.filter(pk__in=newest)
            .annotate(rank=SearchRank(vector, query))
            .order_by("-rank", "-id")
            .values_list("pk", flat=True)[:limit]
        )
        return list(rows)

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


def backend() -> Backend:
    """The backend of the default database."""
    if connection.vendor == "postgresql":
        return PostgresBackend()
    return SQLiteBackend()
