"""Seed a PostgreSQL database for the feed benchmarks: users, follows, posts, tags, likes, pictures.

    IMPASTO_DATABASE_URL=postgres://postgres@127.0.0.1:5432/impasto_feeds_bench \\
        .venv/bin/python manage.py migrate
    IMPASTO_DATABASE_URL=postgres://postgres@127.0.0.1:5432/impasto_feeds_bench \\
        .venv/bin/python bench/feeds/seed.py --users 10000 --posts 1000000 --follows 200

Rows go in with COPY (psycopg 3), ids are snowflakes spread over the last ``--days`` days
(so they sort by time like real ones), and the indexes that slow a bulk load (the posts'
full-text GIN index) are dropped before and rebuilt after. Every user follows ``--follows``
others chosen at random, and everyone follows user 0 ("star"), so the write side can be
measured for an account with as many followers as there are users. ``--images`` of the
newest ``--image-window`` posts carry a picture (a ready asset row with its 15 display
variants: no image files, the pages only read the rows). It also writes
``bench/feeds/.credentials.json`` (git-ignored): API tokens and session cookies of the
first ``--readers`` users, for the load script.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402

from impasto.api.services import token_create  # noqa: E402
from impasto.core.ids import snowflake_floor  # noqa: E402

WORDS = [
    "ink",
    "watercolor",
    "sketch",
    "study",
    "portrait",
    "landscape",
    "oil",
    "gouache",
    "charcoal",
    "figure",
    "light",
    "colour",
    "morning",
    "process",
    "commission",
    "character",
    "environment",
    "concept",
    "palette",
    "brush",
    "paper",
    "canvas",
    "aquarelle",
    "café",
    "étude",
    "lumière",
    "couleur",
    "paysage",
    "dessin",
    "peinture",
]
TAGS = [f"tag{n}" for n in range(50)] + ["ink", "watercolor", "sketch", "portrait", "oilpainting"]
CREDENTIALS = Path(__file__).with_name(".credentials.json")


def log(message: str, started: float) -> None:
    print(f"[{time.monotonic() - started:7.1f}s] {message}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--follows", type=int, default=200)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--readers", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--images",
        type=float,
        default=0.3,
        help="share of the newest --image-window posts that carry a picture (an art site's "
        "posts mostly do): a ready asset with its 15 display variants and an attachment",
    )
    parser.add_argument("--image-window", type=int, default=100_000)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("seed.py loads PostgreSQL only (set IMPASTO_DATABASE_URL).")
    rng = random.Random(args.seed)
    started = time.monotonic()
    now = datetime.now(UTC)
    now_ms = int(now.timestamp() * 1000)
    span_ms = args.days * 86_400_000
    password = make_password("bench-password")

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM accounts_user")
        if cursor.fetchone()[0]:
            sys.exit("The database is not empty: seed a fresh one (drop and migrate).")
    raw = connection.connection
    assert raw is not None

    # --- users and profiles ------------------------------------------------------------------
    user_ids = list(range(1, args.users + 1))
    with raw.cursor() as cur:
        with cur.copy(
            "COPY accounts_user (id, password, is_superuser, handle, email, display_name, "
            "is_active, is_staff, date_joined) FROM STDIN"
        ) as copy:
            for uid in user_ids:
                handle = "star" if uid == 1 else f"artist{uid}"
                copy.write_row(
                    (
                        uid,
                        password,
                        False,
                        handle,
                        f"{handle}@bench.test",
                        f"Artist {uid}",
                        True,
                        False,
                        now - timedelta(days=args.days + 1),
                    )
                )
        with cur.copy(
            "COPY accounts_profile (user_id, kind, bio, location, links, open_to_work, "
            "open_for_commissions, avatar, banner, updated_at) FROM STDIN"
        ) as copy:
            for uid in user_ids:
                copy.write_row(
                    (
                        uid,
                        "portfolio",
                        " ".join(rng.sample(WORDS, 6)),
                        "",
                        "[]",
                        uid % 7 == 0,
                        False,
                        "",
                        "",
                        now,
                    )
                )
        cur.execute(
            "SELECT setval(pg_get_serial_sequence('accounts_user', 'id'), %s)", [args.users]
        )
    log(f"{args.users} users", started)

    # --- follows: --follows random each, plus everyone follows the star -----------------------
    # Ids: a time's floor plus a counter (random low bits would collide within a millisecond).
    follow_base = snowflake_floor(now_ms - span_ms - 1000)
    rows = 0
    with (
        raw.cursor() as cur,
        cur.copy(
            "COPY social_follow (id, follower_id, followee_id, state, created_at, accepted_at) "
            "FROM STDIN"
        ) as copy,
    ):
        for uid in user_ids:
            targets = set(rng.sample(user_ids, min(args.follows + 1, args.users)))
            targets.discard(uid)
            targets = set(list(targets)[: args.follows])
            if uid != 1:
                targets.add(1)
            at = now - timedelta(days=args.days)
            for target in targets:
                copy.write_row((follow_base + rows, uid, target, "accepted", at, at))
                rows += 1
    log(f"{rows} follows", started)

    # --- posts (and tags, likes) --------------------------------------------------------------
    with connection.cursor() as cursor:
        # The full-text GIN index is built once at the end, not row by row (search/0002: the
        # stored tsvector column's index; the expression index of 0001 before it).
        cursor.execute("DROP INDEX IF EXISTS search_post_fts")
        cursor.execute("DROP INDEX IF EXISTS search_post_vector")
    tag_ids = {}
    with raw.cursor() as cur:
        for n, name in enumerate(TAGS, start=1):
            cur.execute(
                "INSERT INTO social_tag (id, name, display_name, created_at) VALUES (%s,%s,%s,%s)",
                [n, name, name, now],
            )
            tag_ids[name] = n
        cur.execute("SELECT setval(pg_get_serial_sequence('social_tag', 'id'), %s)", [len(TAGS)])
    times = sorted(rng.randrange(now_ms - span_ms, now_ms - 60_000) for _ in range(args.posts))
    post_ids: list[int] = []
    authors: list[int] = []
    tagged: list[tuple[int, int]] = []
    with raw.cursor() as cur:
        with cur.copy(
            "COPY social_post (id, author_id, body, body_html, content_warning, visibility, "
            "link_path, created_at, likes_count, reposts_count, quotes_count, replies_count, "
            "thread_root_id) FROM STDIN"
        ) as copy:
            for n, at_ms in enumerate(times):
                pid = snowflake_floor(at_ms) + (n & 0x3FFFFF)
                author = rng.choice(user_ids)
                words = " ".join(rng.choices(WORDS, k=12))
                tag = rng.choice(TAGS) if rng.random() < 0.1 else None
                body = f"{words} #{tag}" if tag else words
                html = f"<p>{body}</p>"
                warning = "nudity" if rng.random() < 0.02 else ""
                visibility = "followers" if rng.random() < 0.1 else "public"
                created = datetime.fromtimestamp(at_ms / 1000, UTC)
                copy.write_row(
                    (pid, author, body, html, warning, visibility, "", created, 0, 0, 0, 0, pid)
                )
                post_ids.append(pid)
                authors.append(author)
                if tag:
                    tagged.append((pid, tag_ids[tag]))
        log(f"{len(post_ids)} posts", started)
        with cur.copy("COPY social_posttag (post_id, tag_id) FROM STDIN") as copy:
            for row in tagged:
                copy.write_row(row)
        log(f"{len(tagged)} post tags", started)
        likes = 0
        like_base = snowflake_floor(now_ms - 30_000)
        recent = post_ids[-20_000:]
        with cur.copy("COPY social_postlike (id, user_id, post_id, created_at) FROM STDIN") as copy:
            seen: set[tuple[int, int]] = set()
            for _ in range(min(50_000, args.posts)):
                pair = (rng.choice(user_ids), rng.choice(recent))
                if pair in seen:
                    continue
                seen.add(pair)
                copy.write_row((like_base + likes, pair[0], pair[1], now))
                likes += 1
        cur.execute(
            "UPDATE social_post p SET likes_count = l.n FROM "
            "(SELECT post_id, count(*) n FROM social_postlike GROUP BY post_id) l "
            "WHERE p.id = l.post_id"
        )
        log(f"{likes} likes", started)
        # --- pictures on the newest posts: what every card of a home page may load --------
        author_of = dict(zip(post_ids, authors, strict=True))
        pictured = [p for p in post_ids[-args.image_window :] if rng.random() < args.images]
        asset_base = snowflake_floor(now_ms - 20_000)
        with cur.copy(
            "COPY imaging_mediaasset (id, created_at, updated_at, purpose, status, failure_reason, "
            "alt_text, source_type, idempotency_key, original_key, original_sha256, "
            "original_bytes, source_format, width, height, frames, blurhash, dominant_color, "
            "phash, pdq, attempts, last_error, owner_id, cloak_level, self_cloaked) FROM STDIN"
        ) as copy:
            for n, pid in enumerate(pictured):
                copy.write_row(
                    (asset_base + n, now, now, "post", "ready", "", "", "digitalCreation",
                     f"bench-{n}", f"originals/bench/{n}", f"{n:064x}", 2_000_000, "jpeg",
                     2400, 1600, 1, "LEHV6nWB2yk8pyo0adR*.7kCMdnj", "#8a6f4d", "0" * 16, "",
                     1, "", author_of[pid], "off", False)
                )  # fmt: skip
        with cur.copy(
            "COPY imaging_mediavariant (id, kind, format, width, height, animated, sha256, key, "
            "bytes, asset_id) FROM STDIN"
        ) as copy:
            variant = 0
            for n in range(len(pictured)):
                for fmt in ("avif", "webp", "jpeg"):
                    for width in (320, 640, 1080, 1600, 2048):
                        digest = f"{variant:064x}"
                        copy.write_row(
                            (asset_base + variant, "display", fmt, width, width * 2 // 3, False,
                             digest, f"v/{digest}.{fmt}", width * 60, asset_base + n)
                        )  # fmt: skip
                        variant += 1
        with cur.copy(
            "COPY social_postattachment (id, position, alt_text, post_id, asset_id, decorative) "
            "FROM STDIN"
        ) as copy:
            for n, pid in enumerate(pictured):
                copy.write_row((asset_base + n, 0, "A study in oil", pid, asset_base + n, False))
        log(f"{len(pictured)} pictures ({variant} variants)", started)
    with connection.cursor() as cursor:
        cursor.execute("CREATE INDEX search_post_vector ON social_post USING gin (search_vector)")
        log("full-text index rebuilt", started)
        cursor.execute("ANALYZE")
        log("analyzed", started)

    # --- credentials for the load script ------------------------------------------------------
    from impasto.accounts.models import User

    credentials = []
    for user in User.objects.filter(pk__in=user_ids[1 : args.readers + 1]):
        _, token = token_create(user=user, name="bench", scope="read")
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session.create()
        credentials.append({"handle": user.handle, "token": token, "session": session.session_key})
    CREDENTIALS.write_text(json.dumps(credentials))
    log(f"credentials of {len(credentials)} readers in {CREDENTIALS}", started)


if __name__ == "__main__":
    main()
