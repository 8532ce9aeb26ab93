"""Settings, read once from the environment (12-factor).

Unset variables give the embedded developer defaults: a SQLite file, local-memory
cache and Celery running tasks eagerly. DATABASE_URL / REDIS_URL switch to
PostgreSQL (psycopg 3, persistent connections) and Redis (cache and broker).
With DJANGO_DEBUG off the settings are production-grade and pass `check --deploy`.
"""
import ipaddress
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A developer's `.env` (written by `make run`, never committed) fills in what the
# environment leaves unset; the environment wins. DJANGO_ENV_FILE names another
# file, or none when empty: the tests set it empty, so a developer's file never
# changes what they see.
ENV_FILE = env.str("DJANGO_ENV_FILE", default=str(BASE_DIR / ".env"))
if ENV_FILE:
    environ.Env.read_env(ENV_FILE)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_DEBUG is false.")
    SECRET_KEY = "django-insecure-development-only-" + "x" * 40  # noqa: S105 - DEBUG only
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"] if DEBUG else [])

INSTALLED_APPS = [
    "hotelagent.admin_site.HotelAgentAdminConfig",  # django.contrib.admin with our AdminSite
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_prometheus",
    "django_celery_beat",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's assets for /api/docs/, served locally, no CDN
    "tenants",
    "security",
    "reservations",
    "webhooks",
    "hotelagent.apps.HotelAgentConfig",  # product-wide operations: autoscaling decisions (label "hotelagent")
]

MIDDLEWARE = [
    "hotelagent.request_id.RequestIdMiddleware",  # X-Request-ID, in every log line of the request
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "hotelagent.scaling.middleware.RequestCountingMiddleware",  # per-minute counters for autoscaling
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "hotelagent.routing.TrailingSlashMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tenants.middleware.StaffTenantScopeMiddleware",
    "tenants.staff_language.StaffLanguageMiddleware",  # the staff member's own, browser's or hotel's
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "hotelagent.urls"
WSGI_APPLICATION = "hotelagent.wsgi.application"
ASGI_APPLICATION = "hotelagent.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections rather than psycopg's pool: one connection per worker
    # thread is what gunicorn/Celery prefork give us, and it works with the
    # test runner's per-thread connections used by the overbooking tests.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Django's backend, but the health check's SELECT 1 is skipped for a connection
    # whose last request ended this long ago without an error (hotelagent/postgresql);
    # 0 checks before every request, as Django does.
    DATABASES["default"]["ENGINE"] = "hotelagent.postgresql"
    DATABASES["default"]["HEALTH_CHECK_GRACE_SECONDS"] = env.float(
        "DB_HEALTH_CHECK_GRACE_SECONDS", default=1.0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery -----------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="hotelagent"),
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
# Eager mode (no REDIS_URL) behaves like a worker: a failing or retrying task never
# raises into the request that queued it.
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TIMEZONE = "UTC"
# One beat process reads the schedule from the database (django-celery-beat), where
# superusers edit it in the admin. PERIODIC_TASKS is the default it starts from:
# rows are created for missing names only (hotelagent/schedule.py; README Operations).
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
PERIODIC_TASKS = {
    "sweep-stale-inbound-messages": {
        "task": "webhooks.tasks.sweep_inbound",
        "description": "Queue guest messages left unprocessed (broker outage, failures under the limit).",
        "schedule": 60,
    },
    "extend-inventory-daily": {
        "task": "reservations.tasks.extend_inventory",
        "description": "Add the nights that come into the booking horizon to every room type's inventory.",
        "schedule": 24 * 60 * 60,
    },
    "purge-idempotency-keys-daily": {
        "task": "reservations.tasks.purge_idempotency_keys",
        "description": "Forget API idempotency keys past their retention.",
        "schedule": 24 * 60 * 60,
    },
    "sweep-unsent-replies": {
        "task": "webhooks.tasks.sweep_outbound",
        "description": "Queue every reply due for an attempt; settle attempts whose outcome was lost.",
        "schedule": env.float("OUTBOUND_SWEEP_INTERVAL_SECONDS", default=60),
    },
    "hand-over-waiting-questions": {
        "task": "webhooks.tasks.hand_over_waiting_questions",
        "description": "Hand to staff the conversations whose guest asked something only staff can answer "
                       "mid-booking and then went quiet.",
        "schedule": 5 * 60,
    },
    "sweep-pending-media": {
        "task": "webhooks.media.sweep_pending_media",
        "description": "Download guests' images, voice notes and documents left behind (Meta keeps "
                       "them 7 days).",
        "schedule": 5 * 60,
    },
    "send-guest-messages": {
        "task": "webhooks.tasks.send_guest_messages",
        "description": "Pre-arrival messages and post-stay surveys due, in each hotel's sending window.",
        "schedule": 15 * 60,
    },
    "retry-pending-bookings": {
        "task": "reservations.tasks.retry_pending_bookings",
        "description": "Book what guests asked for while their hotel's PMS was down.",
        "schedule": 60,
    },
    "rotate-due-secrets-hourly": {
        "task": "security.rotation.rotate_due_secrets",
        "description": "Rotate API keys, webhook and JWT secrets that are due.",
        "schedule": 60 * 60,
    },
    "verify-audit-chains-hourly": {
        "task": "security.tasks.verify_audit_chains",
        "description": "Verify every hotel's audit hash chain; CRITICAL log when broken.",
        "schedule": 60 * 60,
    },
    "warm-caches": {
        "task": "reservations.tasks.warm_caches",
        "description": "Warm availability, rates and configuration of every active hotel.",
        "schedule": 30 * 60,
    },
    "evaluate-scaling": {
        "task": "hotelagent.tasks.evaluate_scaling",
        "description": "Decide the number of web instances; publish hotelagent_desired_instances.",
        "schedule": 60,
    },
}

# --- Auth, i18n, static ---------------------------------------------------
# The admin sign-in refuses a username and address after this many failures
# within the lockout window, for the window (security.login_throttle).
AUTHENTICATION_BACKENDS = ["security.auth_backends.RateLimitedModelBackend"]
ADMIN_LOGIN_MAX_FAILURES = env.int("ADMIN_LOGIN_MAX_FAILURES", default=5)
ADMIN_LOGIN_LOCKOUT_SECONDS = env.int("ADMIN_LOGIN_LOCKOUT_SECONDS", default=900)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")

# --- HTTP security (what `check --deploy` asks for outside DEBUG) ----------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^health/"]  # probes talk plain HTTP inside the cluster
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
DATA_UPLOAD_MAX_MEMORY_SIZE = 3 * 1024 * 1024

# How long a POST's Idempotency-Key answer is kept for replay.
IDEMPOTENCY_KEY_RETENTION_HOURS = env.int("IDEMPOTENCY_KEY_RETENTION_HOURS", default=72)

# Number of reverse proxies in front of us whose X-Forwarded-For we trust.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
LOCK_TIMEOUT_SECONDS = env.float("LOCK_TIMEOUT_SECONDS", default=3.0)  # then Busy (security.locking)

# --- Secrets --------------------------------------------------------------
# Fernet keys (comma-separated) encrypting ManagedSecret values: the first one
# encrypts, every one decrypts, `manage.py reencrypt_secrets` moves values to the
# first. Unset, a key is derived from SECRET_KEY (security.secret_store logs a
# warning outside DEBUG), so development and CI need no configuration.
SECRETS_ENCRYPTION_KEYS = env.list("SECRETS_ENCRYPTION_KEYS", default=[])
# Where guests reach the site: links sent outside a request (the agent's replies) start with it.
# Unset, the address `make run` serves (PORT, which it exports and records in `.env`).
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}")

# --- REST framework -------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["security.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["security.authentication.HasTenantApiKey"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "reservations.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "hotelagent API",
    "DESCRIPTION": "Availability and reservations for one hotel, authenticated by its API key.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",  # /api/docs/ loads nothing from a CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},  # no badge from swagger.io
    "COMPONENT_SPLIT_REQUEST": True,
    "APPEND_COMPONENTS": {
        "securitySchemes": {
            "ApiKeyAuth": {"type": "apiKey", "in": "header", "name": "Authorization",
                           "description": "`Api-Key <key>`"}
        }
    },
    "SECURITY": [{"ApiKeyAuth": []}],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "reservations.api.schema.add_authentication_throttle",
    ],
}

# --- Metrics -------------------------------------------------------------
# /metrics shows every hotel's bookings and revenue: with a token, every caller
# sends `Authorization: Bearer <token>`; listed addresses/networks get in without
# it ("10.0.0.0/8,192.0.2.7"); with neither set only loopback is answered.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# Parsed here so a typo stops the process at start, not at the first scrape.
METRICS_ALLOWED_IPS = [
    ipaddress.ip_network(network, strict=False) for network in env.list("METRICS_ALLOWED_IPS", default=[])
]

# --- Metrics (hotelagent/metrics/; README "Metrics and what Prometheus scrapes") ---
# A directory every process of one server writes its samples to, summed by each
# scrape: prometheus_client reads the same variable when it is first imported, so
# it must be in the environment before the server starts (deploy/gunicorn.conf.py
# sets one for gunicorn). Empty: each process counts alone (runserver, tests).
PROMETHEUS_MULTIPROC_DIR = env.str("PROMETHEUS_MULTIPROC_DIR", default="")
# Port of a Celery worker's own /metrics (hotelagent.metrics.worker); 0: none.
CELERY_METRICS_PORT = env.int("CELERY_METRICS_PORT", default=0)

# --- Autoscaling evaluation (hotelagent/scaling/; README "Autoscaling") -----
# Every minute: scale up by SCALING_STEP when any input is above its high mark,
# down when every input is below its low mark, else hold; never two actions
# within the cooldown, never outside the bounds. Request rates are per minute
# per instance; the error rate is a fraction (errors only ever block a scale-down).
SCALING_CPU_HIGH = env.float("SCALING_CPU_HIGH", default=75.0)
SCALING_CPU_LOW = env.float("SCALING_CPU_LOW", default=30.0)
SCALING_MEMORY_HIGH = env.float("SCALING_MEMORY_HIGH", default=80.0)
SCALING_MEMORY_LOW = env.float("SCALING_MEMORY_LOW", default=50.0)
SCALING_REQUESTS_PER_INSTANCE_HIGH = env.float("SCALING_REQUESTS_PER_INSTANCE_HIGH", default=1000.0)
SCALING_REQUESTS_PER_INSTANCE_LOW = env.float("SCALING_REQUESTS_PER_INSTANCE_LOW", default=300.0)
SCALING_QUEUE_DEPTH_HIGH = env.int("SCALING_QUEUE_DEPTH_HIGH", default=100)
SCALING_QUEUE_DEPTH_LOW = env.int("SCALING_QUEUE_DEPTH_LOW", default=10)
SCALING_P95_LATENCY_HIGH_MS = env.float("SCALING_P95_LATENCY_HIGH_MS", default=1000.0)
SCALING_P95_LATENCY_LOW_MS = env.float("SCALING_P95_LATENCY_LOW_MS", default=250.0)
SCALING_ERROR_RATE_LOW = env.float("SCALING_ERROR_RATE_LOW", default=0.01)
SCALING_MIN_INSTANCES = env.int("SCALING_MIN_INSTANCES", default=1)
SCALING_MAX_INSTANCES = env.int("SCALING_MAX_INSTANCES", default=10)
SCALING_STEP = env.int("SCALING_STEP", default=1)
SCALING_COOLDOWN_SECONDS = env.float("SCALING_COOLDOWN_SECONDS", default=300.0)
# Instances running now; 0: the last decision's target (the autoscaler follows the gauge).
SCALING_CURRENT_INSTANCES = env.int("SCALING_CURRENT_INSTANCES", default=0)
SCALING_QUEUES = env.list("SCALING_QUEUES", default=["celery"])  # Celery queues whose depth counts
SCALING_EXECUTOR = env.str("SCALING_EXECUTOR", default="hotelagent.scaling.executor.LoggingExecutor")
SCALING_DECISION_RETENTION_DAYS = env.int("SCALING_DECISION_RETENTION_DAYS", default=30)
# How often a web process writes the requests it counted to the shared counters
# (hotelagent/scaling/middleware.py); 0 writes each request as it ends.
SCALING_COUNTS_WRITE_SECONDS = env.float("SCALING_COUNTS_WRITE_SECONDS", default=0.5)
if not 1 <= SCALING_MIN_INSTANCES <= SCALING_MAX_INSTANCES or SCALING_STEP < 1:
    raise ImproperlyConfigured("Need 1 <= SCALING_MIN_INSTANCES <= SCALING_MAX_INSTANCES, SCALING_STEP >= 1.")

# --- Health (hotelagent/health.py, celery_health.py; README "When things break") ---
# /health/ready answers 200 "degraded", never 503, when beat's shortest-period
# task was not sent for this many of its periods (plus django-celery-beat's 3 min
# write delay), or when more tasks than this wait in SCALING_QUEUES.
HEALTH_BEAT_STALE_PERIODS = env.int("HEALTH_BEAT_STALE_PERIODS", default=3)
HEALTH_QUEUE_BACKLOG_THRESHOLD = env.int("HEALTH_QUEUE_BACKLOG_THRESHOLD", default=1000)

# --- Logging (hotelagent/logging_config.py; README "Traces and logs") -------
# One JSON object per line (json, the default outside DEBUG) or readable lines
# (console), each with the request id, the hotel, the trace and the task.
from hotelagent.logging_config import logging_config  # noqa: E402

LOGGING = logging_config(log_format=env.str("LOG_FORMAT", default="console" if DEBUG else "json"),
                         level=env.str("LOG_LEVEL", default="INFO"))

# --- Tracing (hotelagent/telemetry.py; README "Traces and logs") -----------
# Spans go over OTLP/HTTP to the collector at OTEL_EXPORTER_OTLP_ENDPOINT (its base
# URL; /v1/traces is added) or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (the full URL).
# Neither set: nothing is instrumented at all. The exporter reads the other
# standard variables itself (OTEL_EXPORTER_OTLP_HEADERS, _TIMEOUT, _COMPRESSION).
OTEL_EXPORTER_OTLP_ENDPOINT = env.str("OTEL_EXPORTER_OTLP_ENDPOINT", default="")
OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = env.str(
    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
    default=OTEL_EXPORTER_OTLP_ENDPOINT.rstrip("/") + "/v1/traces" if OTEL_EXPORTER_OTLP_ENDPOINT else "",
)
OTEL_SERVICE_NAME = env.str("OTEL_SERVICE_NAME", default="hotelagent")
# Regular expressions searched in a request's URL (without its query): never traced.
OTEL_PYTHON_DJANGO_EXCLUDED_URLS = env.str("OTEL_PYTHON_DJANGO_EXCLUDED_URLS", default="/health/,/metrics$")

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="hotelagent@localhost")

# --- Agent: optional LLM understanding (webhooks/agent/understanding/llm.py) -------
# Off unless a base URL is set; the key lives in the secret store ("agent_llm_api_key").
AGENT_LLM_BASE_URL = env.str("AGENT_LLM_BASE_URL", default="")
AGENT_LLM_MODEL = env.str("AGENT_LLM_MODEL", default="")
AGENT_LLM_TIMEOUT_SECONDS = env.float("AGENT_LLM_TIMEOUT_SECONDS", default=4.0)
AGENT_LLM_OUTPUT = env.str("AGENT_LLM_OUTPUT", default="json_schema")  # or "tools"

# --- WhatsApp Cloud API ---------------------------------------------------
WHATSAPP_VERIFY_TOKEN = env.str("WHATSAPP_VERIFY_TOKEN", default="")
WHATSAPP_APP_SECRET = env.str("WHATSAPP_APP_SECRET", default="")
WHATSAPP_ACCESS_TOKEN = env.str("WHATSAPP_ACCESS_TOKEN", default="")
WHATSAPP_API_BASE_URL = env.str("WHATSAPP_API_BASE_URL", default="https://graph.facebook.com/v21.0")
WHATSAPP_SEND_TIMEOUT = env.float("WHATSAPP_SEND_TIMEOUT", default=10.0)
# Replies: retried for hours, not seconds (webhooks/sending.py; README "When things break").
WHATSAPP_SEND_RETRY_HORIZON_SECONDS = env.int("WHATSAPP_SEND_RETRY_HORIZON_SECONDS", default=24 * 60 * 60)
WHATSAPP_SEND_RETRY_BASE_SECONDS = env.float("WHATSAPP_SEND_RETRY_BASE_SECONDS", default=2.0)
WHATSAPP_SEND_MAX_BACKOFF_SECONDS = env.float("WHATSAPP_SEND_MAX_BACKOFF_SECONDS", default=30 * 60)
# Retries nearer than this are queued with a countdown; later ones wait for the sweep
# (Redis redelivers countdown tasks held longer than its visibility timeout, 1 h).
WHATSAPP_SEND_QUEUE_RETRY_MAX_SECONDS = env.float("WHATSAPP_SEND_QUEUE_RETRY_MAX_SECONDS", default=600)
WHATSAPP_UNKNOWN_RESEND_AFTER_SECONDS = env.int("WHATSAPP_UNKNOWN_RESEND_AFTER_SECONDS", default=10 * 60)
WHATSAPP_OUTCOME_WRITE_ATTEMPTS = env.int("WHATSAPP_OUTCOME_WRITE_ATTEMPTS", default=5)
WHATSAPP_CIRCUIT_FAILURE_THRESHOLD = env.int("WHATSAPP_CIRCUIT_FAILURE_THRESHOLD", default=5)
WHATSAPP_CIRCUIT_RECOVERY_SECONDS = env.float("WHATSAPP_CIRCUIT_RECOVERY_SECONDS", default=30)
# The seed guide's 120/minute: per guest and hotel for signed deliveries (stored
# as throttled), per IP for requests that fail the signature check (429).
INBOUND_MESSAGES_PER_MINUTE = env.int("INBOUND_MESSAGES_PER_MINUTE", default=120)
# Failed API authentications (wrong key or web-chat signature) one address may
# make in a minute before every API request from it is answered 429 for the rest
# of that minute. An honest client with a wrong key fails a handful of times.
API_AUTH_FAILURES_PER_MINUTE = env.int("API_AUTH_FAILURES_PER_MINUTE", default=20)
# Inbound messages still `received` after this long are re-enqueued by the sweep.
INBOUND_SWEEP_AFTER_SECONDS = env.int("INBOUND_SWEEP_AFTER_SECONDS", default=120)
# A reply this long overdue has lost its task: the sweep queues it again.
OUTBOUND_SWEEP_AFTER_SECONDS = env.int("OUTBOUND_SWEEP_AFTER_SECONDS", default=60)
# A guest quiet this long with a question staff were promised mid-booking: the
# conversation goes to staff (webhooks.tasks.hand_over_waiting_questions).
AGENT_WAITING_QUESTIONS_AFTER_SECONDS = env.int("AGENT_WAITING_QUESTIONS_AFTER_SECONDS", default=30 * 60)

# --- WhatsApp media: inbound images, voice notes, documents… (webhooks/media.py) ---
# Files are saved through Django's default storage: MEDIA_ROOT on disk unless
# STORAGES names another backend. A file past the limit, or of a type not listed
# for its kind, is refused (MessageMedia.status "refused") and never stored.
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
WHATSAPP_MEDIA_MAX_BYTES = env.int("WHATSAPP_MEDIA_MAX_BYTES", default=16 * 1024 * 1024)
WHATSAPP_MEDIA_TIMEOUT = env.float("WHATSAPP_MEDIA_TIMEOUT", default=20.0)
WHATSAPP_MEDIA_ALLOWED_TYPES = {
    "image": env.list("WHATSAPP_MEDIA_IMAGE_TYPES", default=["image/jpeg", "image/png", "image/webp"]),
    "sticker": env.list("WHATSAPP_MEDIA_STICKER_TYPES", default=["image/webp"]),
    "audio": env.list("WHATSAPP_MEDIA_AUDIO_TYPES", default=[
        "audio/ogg", "audio/mpeg", "audio/mp4", "audio/aac", "audio/amr"]),
    "video": env.list("WHATSAPP_MEDIA_VIDEO_TYPES", default=["video/mp4", "video/3gpp"]),
    "document": env.list("WHATSAPP_MEDIA_DOCUMENT_TYPES", default=[
        "application/pdf", "text/plain", "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.ms-powerpoint",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation"]),
}
# Voice notes read aloud by an OpenAI-compatible /audio/transcriptions endpoint
# (webhooks/transcription.py), e.g. http://127.0.0.1:8000/v1; empty = off, and a
# voice note is answered "I can't listen to audio yet".
AGENT_TRANSCRIPTION_BASE_URL = env.str("AGENT_TRANSCRIPTION_BASE_URL", default="")
AGENT_TRANSCRIPTION_MODEL = env.str("AGENT_TRANSCRIPTION_MODEL", default="whisper-1")
AGENT_TRANSCRIPTION_API_KEY = env.str("AGENT_TRANSCRIPTION_API_KEY", default="")
AGENT_TRANSCRIPTION_TIMEOUT_SECONDS = env.float("AGENT_TRANSCRIPTION_TIMEOUT_SECONDS", default=8.0)

# --- External PMS (QloApps) resilience ------------------------------------
# Consecutive failed calls that open a hotel's PMS circuit, and how long it stays
# open before one trial call; calls in flight / waiting per PMS per process.
PMS_CIRCUIT_FAILURE_THRESHOLD = env.int("PMS_CIRCUIT_FAILURE_THRESHOLD", default=5)
PMS_CIRCUIT_RECOVERY_SECONDS = env.float("PMS_CIRCUIT_RECOVERY_SECONDS", default=30.0)
PMS_BULKHEAD_MAX_CONCURRENT = env.int("PMS_BULKHEAD_MAX_CONCURRENT", default=5)
PMS_BULKHEAD_MAX_QUEUE = env.int("PMS_BULKHEAD_MAX_QUEUE", default=50)
# Attempts of an idempotent read (hotel_ari, GETs), with exponential backoff and
# full jitter starting at PMS_RETRY_BASE_DELAY seconds. Bookings are never retried blindly.
PMS_READ_ATTEMPTS = env.int("PMS_READ_ATTEMPTS", default=3)
PMS_RETRY_BASE_DELAY = env.float("PMS_RETRY_BASE_DELAY", default=0.2)
# Fallback for hotels whose QloApps webservice key is not in the secret store yet:
# "hotel-slug=KEY,other-hotel=KEY".
PMS_WEBSERVICE_KEYS = env.dict("PMS_WEBSERVICE_KEYS", default={})

# --- Cache warming (reservations.cache_warming; README "Cache warming") -------
# Arrival days kept warm from each hotel's today (one- and two-night stays), and
# the seconds each warm copy lives: availability, rates, the hotel's configuration.
CACHE_WARM_DAYS = env.int("CACHE_WARM_DAYS", default=30)
CACHE_AVAILABILITY_TTL = env.int("CACHE_AVAILABILITY_TTL", default=60 * 60)
CACHE_RATES_TTL = env.int("CACHE_RATES_TTL", default=2 * 60 * 60)
CACHE_CONFIG_TTL = env.int("CACHE_CONFIG_TTL", default=60 * 60)
if min(CACHE_WARM_DAYS, CACHE_AVAILABILITY_TTL, CACHE_RATES_TTL, CACHE_CONFIG_TTL) < 1:
    raise ImproperlyConfigured("CACHE_WARM_DAYS and the CACHE_*_TTL settings must be at least 1.")
if not REDIS_URL:  # local memory keeps 300 entries by default; one hotel's warm copy is about 500
    CACHES["default"].setdefault("OPTIONS", {})["MAX_ENTRIES"] = 100_000

# Who hears about critical failures (messages that cannot be processed): the
# hotel's support email plus these addresses ("a@example.com,b@example.com").
ADMINS = [(address, address) for address in env.list("ADMINS", default=[])]
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# At most one alert per hotel in this many seconds.
CRITICAL_ALERT_INTERVAL_SECONDS = env.int("CRITICAL_ALERT_INTERVAL_SECONDS", default=600)
