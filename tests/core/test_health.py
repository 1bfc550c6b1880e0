"""/healthz: what a load balancer asks before sending traffic."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client, override_settings

from tests.core.processes import production_env, run_probe

pytestmark = pytest.mark.django_db


@pytest.mark.redis
def test_healthz_is_ok_with_redis_as_the_cache(client: Client, redis_cache) -> None:
    from django.core.cache import caches

    assert type(caches["default"]).__name__ == "RedisCache"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_redis_is_unreachable(client: Client) -> None:
    # Port 1 on the loopback: nothing listens there, the connection is refused at once.
    unreachable = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    with override_settings(CACHES=unreachable):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "ok"
    assert body["cache"] == "error: ConnectionError"


PROBE = """
import django, json
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()
from django.test import Client
response = Client().get("/healthz")
print(json.dumps({"status": response.status_code, "body": response.json()}))
"""


@pytest.mark.parametrize(
    "database_url",
    [
        pytest.param("postgres://postgres@127.0.0.1:1/impasto", id="postgresql"),
        pytest.param("sqlite:////nonexistent-directory/impasto.sqlite3", id="sqlite"),
    ],
)
def test_healthz_answers_503_when_the_database_is_unreachable(
    database_url: str, tmp_path: Path
) -> None:
    # A fresh process whose database really cannot be reached: PostgreSQL on a closed port,
    # or SQLite in a directory that does not exist. Nothing is mocked.
    env = production_env(tmp_path, IMPASTO_DATABASE_URL=database_url)
    answer = run_probe(PROBE, env, timeout=60)
    assert answer["status"] == 503
    assert answer["body"]["status"] == "error"
    assert answer["body"]["database"] == "error: OperationalError"
    assert answer["body"]["cache"] == "ok"
