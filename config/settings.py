"""Django settings for Impasto.

Every value an operator may change comes from :mod:`config.env` (``IMPASTO_*`` variables);
this module only turns those values into Django's vocabulary.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from config.env import BASE_DIR, load

# Lets generic Django classes (ModelAdmin[Model], QuerySet[Model]) be subscripted at runtime.
django_stubs_ext.monkeypatch()

ENV = load()
DATA_DIR = ENV.data_dir
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = ENV.debug
SECRET_KEY = ENV.effective_secret_key()
ALLOWED_HOSTS = ENV.allowed_hosts
SITE_URL = ENV.site_url
SITE_NAME = ENV.site_name
CSRF_TRUSTED_ORIGINS = [SITE_URL]

INSTALLED_APPS = [
    "impasto.core",
    "impasto.accounts",
    "impasto.demo",
    "impasto.protection",
    "impasto.api",
    "impasto.social",  # posts, social graph, notifications, messages (docs/social.md)
    "impasto.imaging",
    "impasto.moderation",  # held uploads, reports, the desk, appeals (docs/moderation.md)
    "impasto.feeds",  # timelines, discovery and the reader's filters (docs/feeds.md)
    "impasto.search",  # full text: SQLite FTS5 or PostgreSQL (docs/feeds.md, "Search")
    "impasto.art",  # portfolio: projects, albums (docs/portfolio.md)
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # protection: opt-out headers on every response (static files too, so it sits outside
    # WhiteNoise) and listed AI crawlers refused before any other work; docs/protection.md
    "impasto.protection.middleware.AIProtectionMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "impasto.core.middleware.SecurityHeadersMiddleware",
    "impasto.core.middleware.HtmxMessagesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "impasto.core.context_processors.site",
                "impasto.core.context_processors.shell",
                # social: header links with unread badges (lazy; nothing for visitors)
                "impasto.social.context_processors.header",
            ],
        },
    }
]

# --- database ------------------------------------------------------------------------------
_db: dict[str, Any] = dict(
    dj_database_url.parse(
        ENV.effective_database_url,
        conn_max_age=ENV.db_conn_max_age,
        conn_health_checks=True,
    )
)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the writer (web processes and the task worker share one
    # file); IMMEDIATE transactions take the write lock up front instead of failing with
    # "database is locked" when a read transaction later tries to write.
    _db["CONN_MAX_AGE"] = 0
    _db["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=5000;"
            "PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
elif _db["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: it pays off for long analytic queries, not for pages. A page query whose estimate
    # crossed jit_above_cost (a hashed sub-plan over the posts table, never run) spent ~90 ms
    # compiling for 2 ms of execution (docs/scaling.md).
    _options = _db.setdefault("OPTIONS", {})
    _options["options"] = f"-c jit=off {_options.get('options', '')}".strip()
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache ---------------------------------------------------------------------------------
if ENV.redis_url:
    CACHES: dict[str, Any] = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": ENV.redis_url,
            "KEY_PREFIX": "impasto",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "impasto",
        }
    }

# --- accounts ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

# Sessions live in the database: losing Redis must log nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30
SESSION_COOKIE_SAMESITE = "Lax"

# django-allauth: sign-up with verified email, log-in by handle or email, TOTP with recovery
# codes, a list of one's sessions. Its rate limits use the cache (Redis in production).
ACCOUNT_USER_MODEL_USERNAME_FIELD = "handle"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_USERNAME_MIN_LENGTH = 2
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if ENV.https else "http"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME

# --- accounts: adapter, forms, rate limits, deletion, export (impasto.accounts; see
# docs/accounts.md) ---------------------------------------------------------------------------
ACCOUNT_ADAPTER = "impasto.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "impasto.accounts.forms.LoginForm",
    "signup": "impasto.accounts.forms.SignupForm",
}
ACCOUNT_PRESERVE_USERNAME_CASING = False  # handles are stored and compared lowercase
ACCOUNT_REAUTHENTICATION_REQUIRED = True  # email changes ask for the password again
ACCOUNT_EMAIL_NOTIFICATIONS = True  # tell people when their password or email changes
ACCOUNT_SIGNUP_REDIRECT_URL = "accounts:settings-profile"
# Mastodon's Rack::Attack numbers (shared/SECURITY-NOTES.md 3.1); "key" is the account for
# log-ins (see AccountAdapter) and the email address for password resets.
ACCOUNT_RATE_LIMITS = {
    "login": "25/5m/ip",
    "login_failed": "25/5m/ip,25/1h/key",
    "signup": "25/5m/ip",
    "reset_password": "25/5m/ip,5/30m/key",
    "reset_password_from_key": "25/5m/ip",
    "change_password": "10/10m/user",
}
ALLAUTH_TRUSTED_PROXY_COUNT = ENV.trusted_proxy_count
ACCOUNTS_DELETION_GRACE_PERIOD = timedelta(days=ENV.account_deletion_grace_days)
ACCOUNTS_EXPORT_LIFETIME = timedelta(days=ENV.data_export_ttl_days)

# --- email ---------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = ENV.email_from
SERVER_EMAIL = ENV.email_from
if ENV.email_backend == "smtp":
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = ENV.email_host
    EMAIL_PORT = ENV.email_port
    EMAIL_HOST_USER = ENV.email_user
    EMAIL_HOST_PASSWORD = ENV.email_password.get_secret_value()
    EMAIL_USE_TLS = ENV.email_use_tls
    EMAIL_TIMEOUT = 10
elif ENV.email_backend == "file":
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- background tasks ----------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "media"],
    }
}

# --- files ---------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
PRIVATE_ROOT = DATA_DIR / "private"
FILE_UPLOAD_TEMP_DIR = DATA_DIR / "tmp"
FILE_UPLOAD_TEMP_DIR.mkdir(parents=True, exist_ok=True)

if ENV.storage == "s3":
    _s3_options: dict[str, Any] = {
        "endpoint_url": ENV.s3_endpoint_url,
        "region_name": ENV.s3_region,
        "access_key": ENV.s3_access_key_id,
        "secret_key": (
            ENV.s3_secret_access_key.get_secret_value() if ENV.s3_secret_access_key else None
        ),
        "file_overwrite": True,
    }
    STORAGES: dict[str, Any] = {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **_s3_options,
                "bucket_name": ENV.s3_public_bucket,
                "querystring_auth": False,
            },
        },
        # Originals: a bucket that is never given a public URL.
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**_s3_options, "bucket_name": ENV.s3_private_bucket},
        },
    }
else:
    STORAGES = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": MEDIA_ROOT, "base_url": MEDIA_URL},
        },
        # Originals live outside MEDIA_ROOT so no URL can ever reach them.
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": PRIVATE_ROOT, "base_url": None},
        },
    }
STORAGES["staticfiles"] = {
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
}

# Request bodies: uploads stream to disk past 2.5 MB; other bodies are small.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 10
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

# --- imaging (docs/imaging.md) -------------------------------------------------------------
IMPASTO_UPLOAD_MAX_BYTES = ENV.upload_max_bytes
IMPASTO_IMAGE_MAX_PIXELS = ENV.image_max_pixels
IMPASTO_IMAGE_MAX_SIDE = ENV.image_max_side
IMPASTO_IMAGE_MAX_FRAMES = ENV.image_max_frames
IMPASTO_IMAGE_MAX_METADATA_BYTES = ENV.image_max_metadata_bytes
IMPASTO_IMAGING_JOB_MEMORY_MB = ENV.imaging_job_memory_mb
IMPASTO_IMAGING_JOB_TIMEOUT_S = ENV.imaging_job_timeout_s
IMPASTO_IMAGING_MAX_ATTEMPTS = ENV.imaging_max_attempts
IMPASTO_IMAGING_STUCK_AFTER_S = ENV.imaging_stuck_after_s
# A post's upload never attached to a post (an app that uploaded, then gave up) is deleted,
# files and all, this long after (docs/social.md, "Images").
IMPASTO_UNATTACHED_UPLOAD_TTL = timedelta(hours=ENV.unattached_upload_ttl_hours)
IMPASTO_IMAGING_AVIF_EFFORT = ENV.imaging_avif_effort
IMPASTO_C2PA_CERT_PATH = ENV.c2pa_cert_path
IMPASTO_C2PA_KEY_PATH = ENV.c2pa_key_path
IMPASTO_C2PA_DEV_DIR = DATA_DIR / "c2pa-dev"
IMPASTO_WATERMARK_KEY = ENV.effective_watermark_key()
IMPASTO_MEDIA_SENDFILE = ENV.media_sendfile
IMPASTO_MEDIA_SENDFILE_PREFIX = ENV.media_sendfile_prefix
# --- end imaging ---------------------------------------------------------------------------

# --- internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# --- security ------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
CSRF_FAILURE_VIEW = "impasto.core.errors.csrf_failure"
if ENV.https:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-impasto-session"
    CSRF_COOKIE_NAME = "__Host-impasto-csrf"
if ENV.trusted_proxy_count:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
TRUSTED_PROXY_COUNT = ENV.trusted_proxy_count

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # No nonce and no inline code: every script is a static file (docs/web.md, "CSP").
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF],
        "manifest-src": [SELF],
        "worker-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# --- protection (impasto.protection): crawlers, rate limits, hot-linking ----------------------
# See docs/protection.md (the middleware is listed in MIDDLEWARE above).
CRAWLER_BLOCKED_CATEGORIES = list(ENV.crawler_blocked_categories)
RATE_LIMITS = {
    # Image variants, per client (account, or IP range): a burst of `capacity` images, then
    # `refill_per_second` more each second.
    "variants": {
        "capacity": ENV.rate_limit_variants_capacity,
        "refill_per_second": ENV.rate_limit_variants_per_second,
    },
    # Reports (impasto.moderation), per account: 10 at once, then one more every 6 minutes.
    "reports": {"capacity": 10, "refill_per_second": 1 / 360},
    # API requests (impasto/api/throttling.py): per account (its tokens and its session), and
    # per address range for calls without a valid credential.
    "api": {
        "capacity": ENV.rate_limit_api_capacity,
        "refill_per_second": ENV.rate_limit_api_per_second,
    },
    "api_anonymous": {
        "capacity": ENV.rate_limit_api_anonymous_capacity,
        "refill_per_second": ENV.rate_limit_api_anonymous_per_second,
    },
    # Image uploads per account, on every route (impasto.imaging.services.asset_upload).
    "uploads": {
        "capacity": ENV.rate_limit_uploads_capacity,
        "refill_per_second": ENV.rate_limit_uploads_per_second,
    },
}
RATE_LIMIT_IPV4_PREFIX = ENV.rate_limit_ipv4_prefix
RATE_LIMIT_IPV6_PREFIX = ENV.rate_limit_ipv6_prefix
RATE_LIMIT_VARIANTS_IPV4_PREFIX = ENV.rate_limit_variants_ipv4_prefix
IMPASTO_VARIANT_ANONYMOUS_MAX_WIDTH = ENV.variant_anonymous_max_width
IMPASTO_VARIANT_SIGNED_ABOVE_WIDTH = ENV.variant_signed_above_width
IMPASTO_VARIANT_SIGNED_URL_MAX_AGE = ENV.variant_signed_url_max_age
HOTLINK_ALLOWED_ORIGINS = list(ENV.hotlink_allowed_origins)
# --- AI detection (impasto.protection.detection; docs/detection.md) ------------------------
# Each detector is a class listed by dotted path with its options; order matters only in that
# the costly ones (classifiers, hosted APIs) are skipped once a strong signal is found.
DETECTION_MAX_BYTES = ENV.detection_max_bytes
DETECTION_MAX_PIXELS = ENV.detection_max_pixels
_DETECTORS = "impasto.protection.detection.detectors"
DETECTORS: list[dict[str, Any]] = [
    {
        "BACKEND": f"{_DETECTORS}.c2pa.C2paDetector",
        "OPTIONS": {"trust_anchors": ENV.detection_c2pa_trust_anchors},
    },
    {"BACKEND": f"{_DETECTORS}.metadata.IptcDetector"},
    {"BACKEND": f"{_DETECTORS}.generators.GeneratorParametersDetector"},
    {"BACKEND": f"{_DETECTORS}.stealth.NovelAiStealthDetector"},
    {"BACKEND": f"{_DETECTORS}.watermark.StableDiffusionWatermarkDetector"},
    {"BACKEND": f"{_DETECTORS}.metadata.SoftwareNameDetector"},
    {"BACKEND": f"{_DETECTORS}.blocklist.BlocklistDetector"},
]
if ENV.detection_onnx_model:
    DETECTORS.append(
        {
            "BACKEND": f"{_DETECTORS}.onnx.OnnxClassifierDetector",
            "OPTIONS": {
                "model": ENV.detection_onnx_model,
                "threshold": ENV.detection_onnx_threshold,
            },
        }
    )
if ENV.detection_hive_api_key:
    DETECTORS.append(
        {
            "BACKEND": f"{_DETECTORS}.hive.HiveDetector",
            "OPTIONS": {
                "api_key": ENV.detection_hive_api_key.get_secret_value(),
                "url": ENV.detection_hive_url,
                "threshold": ENV.detection_hive_threshold,
            },
        }
    )
# --- end AI detection ----------------------------------------------------------------------

# --- cloaking (impasto.protection.cloaking; docs/cloaking.md) --------------------------------
# One backend computes cloaks (IMPASTO_CLOAK_*); the image pipeline's adapter hands it
# variants and stores what comes back.
CLOAKING: dict[str, Any] = ENV.cloaking()
# --- end cloaking ---------------------------------------------------------------------------

# --- logging -------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.request": {"level": "WARNING"},
        "pyvips": {"level": "WARNING"},
    },
}
