from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


def gunicorn_argv(*, host: str, port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(settings.ENV.web_workers),
        "--threads",
        str(settings.ENV.web_threads),
        # sync: one request at a time per process, behind a buffering reverse proxy; gunicorn
        # turns it into its threaded worker when IMPASTO_WEB_THREADS is more than 1.
        "--worker-class",
        "sync",
        "--access-logfile",
        "-",
        "--timeout",
        "60",
        "--graceful-timeout",
        "20",
        "--forwarded-allow-ips",
        "127.0.0.1,::1" if settings.TRUSTED_PROXY_COUNT else "",
    ]


def listen_address() -> tuple[str, int]:
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "8000"))
    return host, port


class Command(BaseCommand):
    help = "Serve the site with gunicorn (production server; static files through WhiteNoise)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=None, help="Interface (default: $HOST or 127.0.0.1)")
        parser.add_argument("--port", type=int, default=None, help="Port (default: $PORT or 8000)")

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = listen_address()
        argv = gunicorn_argv(host=options["host"] or host, port=options["port"] or port)
        os.execv(argv[0], argv)  # noqa: S606 - replaces this process with gunicorn
