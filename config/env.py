"""The one typed settings object: every knob an operator turns is an ``IMPASTO_*`` variable.

Django's ``settings.py`` reads from :func:`load` and nothing else reads the environment, so a
bad value fails at start-up with a message that names the variable instead of surfacing later
as a confusing error deep inside a request.
"""

from __future__ import annotations

import os
import secrets
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

BASE_DIR = Path(__file__).resolve().parent.parent

PREFIX = "IMPASTO_"


def _split_list(value: object) -> object:
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


MAX_DEFAULT_WEB_WORKERS = 16


def default_web_workers() -> int:
    """Two sync workers per CPU this process may use, at most 16 by default: each one is a
    whole Django process (about 100 MB) holding its own database connection, so a large
    machine does not start a hundred of them unasked (``IMPASTO_WEB_WORKERS`` sets any number
    up to 64)."""
    return min(2 * len(os.sched_getaffinity(0)), MAX_DEFAULT_WEB_WORKERS)


class Env(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=PREFIX, extra="ignore", frozen=True)

    # --- where local state lives (database, uploads, secret key, signing keys) -------------
    data_dir: Path = BASE_DIR / "var"

    # --- core -----------------------------------------------------------------------------
    debug: bool = False
    secret_key: SecretStr | None = None
    allowed_hosts: Annotated[list[str], NoDecode] = ["127.0.0.1", "localhost", "[::1]"]
    site_url: str = "http://127.0.0.1:8000"
    site_name: str = "Impasto"
    https: bool = Field(
        default=False,
        description="Served over HTTPS: secure cookies, HSTS and redirects to https.",
    )
    trusted_proxy_count: int = Field(default=0, ge=0, le=5)

    # --- database and cache ---------------------------------------------------------------
    database_url: str = ""
    redis_url: str | None = None
    db_conn_max_age: int = Field(default=60, ge=0)

    # --- storage --------------------------------------------------------------------------
    storage: Literal["local", "s3"] = "local"
    s3_endpoint_url: str | None = None
    s3_region: str | None = None
    s3_access_key_id: str | None = None
    s3_secret_access_key: SecretStr | None = None
    s3_public_bucket: str | None = None
    s3_private_bucket: str | None = None

    # --- email ----------------------------------------------------------------------------
    email_backend: Literal["console", "file", "smtp"] = "console"
    email_host: str = "localhost"
    email_port: int = Field(default=587, gt=0, lt=65536)
    email_user: str = ""
    email_password: SecretStr = SecretStr("")
    email_use_tls: bool = True
    email_from: str = "Impasto <noreply@impasto.local>"

    # --- accounts (impasto.accounts) -------------------------------------------------------
    account_deletion_grace_days: int = Field(
        default=30,
        ge=0,
        le=365,
        description="Days between a deletion request and the erasure of the account.",
    )
    data_export_ttl_days: int = Field(
        default=3, ge=1, le=30, description="Days a data export stays downloadable."
    )
    # --- imaging (uploads, variants, rights, provenance, watermark; docs/imaging.md) ------
    upload_max_bytes: int = Field(default=50 * 1024 * 1024, ge=1024)
    image_max_pixels: int = Field(default=60_000_000, ge=1)
    image_max_side: int = Field(default=16_000, ge=1, le=16_383)
    image_max_frames: int = Field(default=300, ge=1)
    image_max_metadata_bytes: int = Field(default=1024 * 1024, ge=0)
    imaging_job_memory_mb: int = Field(default=1536, ge=128)
    imaging_job_timeout_s: int = Field(default=120, ge=1)
    imaging_max_attempts: int = Field(default=3, ge=1)
    imaging_stuck_after_s: int = Field(default=900, ge=30)
    unattached_upload_ttl_hours: int = Field(default=24, ge=1)
    imaging_avif_effort: int = Field(default=1, ge=0, le=9)
    c2pa_cert_path: Path | None = None
    c2pa_key_path: Path | None = None
    watermark_key: SecretStr | None = None
    media_sendfile: Literal["", "x-accel-redirect", "x-sendfile"] = ""
    media_sendfile_prefix: str = "/protected-media/"

    def effective_watermark_key(self) -> bytes:
        """The key that scrambles watermark payloads: configured, or generated into data_dir."""
        if self.watermark_key is not None:
            return self.watermark_key.get_secret_value().encode()
        path = self.data_dir / "watermark_key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            try:  # O_EXCL: two processes starting at once must not write different keys
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass
            else:
                with os.fdopen(fd, "w") as handle:
                    handle.write(secrets.token_urlsafe(32))
        return path.read_text().strip().encode()

    # --- end imaging ------------------------------------------------------------------------

    # --- processes ------------------------------------------------------------------------
    # gunicorn's sync workers, two per CPU the process may use: a request is CPU work, and an
    # idle worker takes the next connection, so load spreads evenly (docs/scaling.md, "Where
    # it stands"). More than one thread makes gunicorn use its threaded worker instead.
    web_workers: int = Field(default_factory=lambda: default_web_workers(), ge=1, le=64)
    web_threads: int = Field(default=1, ge=1, le=64)

    # --- protection (impasto.protection): crawlers, rate limits, hot-linking -------------
    # See docs/protection.md. Category names are impasto.protection.crawlers.Category.
    crawler_blocked_categories: Annotated[
        list[
            Literal[
                "training",
                "ai_data",
                "ai_search",
                "assistant",
                "undocumented",
                "link_preview",
                "search_engine",
            ]
        ],
        NoDecode,
    ] = ["training", "ai_data", "ai_search", "assistant", "undocumented"]
    rate_limit_ipv4_prefix: int = Field(default=32, ge=8, le=32)
    rate_limit_ipv6_prefix: int = Field(default=64, ge=16, le=128)
    # API requests (docs/api.md, "Rate limits"): per account, and per address range for calls
    # without a valid credential. The burst is Mastodon's per-token 300 per 5 minutes.
    rate_limit_api_capacity: int = Field(default=300, ge=1, le=1_000_000)
    rate_limit_api_per_second: float = Field(default=1.0, gt=0, le=100_000)
    rate_limit_api_anonymous_capacity: int = Field(default=300, ge=1, le=1_000_000)
    rate_limit_api_anonymous_per_second: float = Field(default=1.0, gt=0, le=100_000)
    # Image uploads per account (every route: web, API, appeals): a burst, then one more every
    # 1 / per_second seconds. Mastodon allows 30 per 30 minutes; artists upload in batches.
    rate_limit_uploads_capacity: int = Field(default=60, ge=1, le=1_000_000)
    rate_limit_uploads_per_second: float = Field(default=1 / 30, gt=0, le=100_000)
    rate_limit_variants_capacity: int = Field(default=240, ge=1, le=100_000)
    rate_limit_variants_per_second: float = Field(default=1.0, gt=0, le=10_000)
    # Variants are counted per /24 (IPv4) for anonymous visitors: one person rarely holds more.
    rate_limit_variants_ipv4_prefix: int = Field(default=24, ge=8, le=32)
    # Who gets which widths (docs/protection.md, "Variant serving").
    variant_anonymous_max_width: int = Field(default=1080, ge=1, le=100_000)
    variant_signed_above_width: int = Field(default=1600, ge=1, le=100_000)
    variant_signed_url_max_age: int = Field(default=7200, ge=60, le=7 * 86_400)
    hotlink_allowed_origins: Annotated[list[str], NoDecode] = []
    # --- AI detection (docs/detection.md) ---------------------------------------------------
    detection_max_bytes: int = Field(default=100 << 20, ge=1 << 20)
    detection_max_pixels: int = Field(default=50_000_000, ge=65_536)
    detection_c2pa_trust_anchors: Path | None = None
    detection_onnx_model: Path | None = None
    detection_onnx_threshold: float = Field(default=0.9, gt=0, le=1)
    detection_hive_api_key: SecretStr | None = None
    detection_hive_url: str = "https://api.thehive.ai/api/v2/task/sync"
    detection_hive_threshold: float = Field(default=0.9, gt=0, le=1)
    # --- end AI detection -------------------------------------------------------------------
    # --- cloaking (impasto/protection/cloaking, docs/cloaking.md) ---------------------------
    # "" picks one: encoder when a model is set, else http when a URL is set, else none.
    # Or a dotted path to a CloakBackend class of your own.
    cloak_backend: str = ""
    cloak_http_url: str | None = None
    cloak_http_key: SecretStr | None = None
    cloak_http_timeout: float = Field(default=120.0, gt=0, le=3600)
    cloak_encoder_model: Path | None = None
    cloak_encoder_input_size: int | None = Field(default=None, ge=8, le=4096)
    cloak_encoder_objective: Literal["away", "target"] = "away"
    cloak_device: str = Field(default="auto", pattern=r"^(auto|cpu|cuda(:[0-9]+)?)$")
    cloak_max_seconds: float = Field(default=300.0, gt=0, le=7200)
    cloak_seed: int = Field(default=0, ge=0)
    cloak_threads: int | None = Field(default=None, ge=1, le=256)

    def cloaking(self) -> dict[str, Any]:
        """``settings.CLOAKING``: the backend these variables choose, with its options."""
        name = self.cloak_backend or (
            "encoder" if self.cloak_encoder_model else "http" if self.cloak_http_url else "none"
        )
        backends = {
            "http": "impasto.protection.cloaking.backends.http.HttpCloakBackend",
            "encoder": "impasto.protection.cloaking.backends.encoder.EncoderCloakBackend",
        }
        options: dict[str, Any] = {}
        if name == "http":
            key = self.cloak_http_key
            options = {
                "url": self.cloak_http_url,
                "api_key": key.get_secret_value() if key else None,
                "read_timeout": self.cloak_http_timeout,
            }
        elif name == "encoder":
            options = {
                "model": self.cloak_encoder_model,
                "input_size": self.cloak_encoder_input_size,
                "objective": self.cloak_encoder_objective,
                "device": self.cloak_device,
                "max_seconds": self.cloak_max_seconds,
                "seed": self.cloak_seed,
                "threads": self.cloak_threads,
            }
        return {
            "BACKEND": None if name == "none" else backends.get(name, name),
            "OPTIONS": options,
            # The image pipeline's adapter (impasto.protection.cloaking.pipeline.CloakPipeline).
            "PIPELINE": "impasto.imaging.cloaking.ImagingCloakPipeline",
            "NOTIFY": "impasto.protection.cloaking.notify.email_owner",
            # A running job silent for longer than this is taken over by the next run.
            "STALE_AFTER": int(self.cloak_max_seconds) + 600,
        }

    # --- end cloaking ---------------------------------------------------------------------

    @field_validator("cloak_backend")
    @classmethod
    def _check_cloak_backend(cls, value: str) -> str:
        if value not in {"", "none", "http", "encoder"} and "." not in value:
            raise ValueError("must be none, http, encoder, or the dotted path of a CloakBackend")
        return value

    @field_validator("cloak_http_url")
    @classmethod
    def _check_cloak_http_url(cls, value: str | None) -> str | None:
        if value and urlsplit(value).scheme not in {"http", "https"}:
            raise ValueError("must be an http(s) URL such as https://cloak.example/v1/cloak")
        return value or None

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: object) -> object:
        return _split_list(value)

    @field_validator("crawler_blocked_categories", mode="before")
    @classmethod
    def _split_categories(cls, value: object) -> object:
        return _split_list(value)

    @field_validator("hotlink_allowed_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        return _split_list(value)

    @field_validator("hotlink_allowed_origins")
    @classmethod
    def _check_origins(cls, value: list[str]) -> list[str]:
        origins = []
        for origin in value:
            parts = urlsplit(origin)
            if parts.scheme not in {"http", "https"} or not parts.netloc or parts.path.strip("/"):
                raise ValueError(f"{origin!r} is not an origin such as https://partner.example")
            origins.append(f"{parts.scheme}://{parts.netloc}".lower())
        return origins

    @field_validator("site_url")
    @classmethod
    def _check_site_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ValueError("must be an absolute http(s) URL such as https://impasto.example")
        return value.rstrip("/")

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        if value and urlsplit(value).scheme not in {"sqlite", "postgres", "postgresql"}:
            raise ValueError("must start with sqlite:/// or postgres://")
        return value

    @field_validator("redis_url")
    @classmethod
    def _check_redis_url(cls, value: str | None) -> str | None:
        if value and urlsplit(value).scheme not in {"redis", "rediss", "unix"}:
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value or None

    @model_validator(mode="after")
    def _check_s3(self) -> Env:
        if self.storage == "s3":
            missing = [
                f"{PREFIX}{name.upper()}"
                for name in ("s3_public_bucket", "s3_private_bucket")
                if not getattr(self, name)
            ]
            if missing:
                raise ValueError(f"IMPASTO_STORAGE=s3 also needs {', '.join(missing)}")
        return self

    # --- derived values -------------------------------------------------------------------
    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'impasto.sqlite3'}"

    def effective_secret_key(self) -> str:
        """The configured key, or one generated on first start and kept in ``data_dir``."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        path = self.data_dir / "secret_key"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            # O_EXCL: two processes starting at once must not each write a different key.
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass
            else:
                with os.fdopen(fd, "w") as handle:
                    handle.write(secrets.token_urlsafe(50))
        return path.read_text().strip()


def _describe(error: ValidationError) -> str:
    lines = []
    for problem in error.errors():
        field = str(problem["loc"][0]) if problem["loc"] else ""
        name = f"{PREFIX}{field.upper()}" if field else "settings"
        lines.append(f"  {name}: {problem['msg']}")
    return "Impasto cannot start; fix these environment variables:\n" + "\n".join(lines)


@cache
def load() -> Env:
    try:
        return Env()
    except ValidationError as error:
        raise ImproperlyConfigured(_describe(error)) from None
