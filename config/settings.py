"""Silkway settings. Every value comes from the environment, with a documented default.

With no environment at all you get the embedded default: SQLite under var/, Celery tasks run
eagerly in-process, the offline AI provider, DEBUG on. Production sets DJANGO_DEBUG=false, which
makes DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS mandatory (no production secret has a default).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SILKWAY_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false.")
    SECRET_KEY = "insecure-embedded-default-only-for-debug"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    # Country names in every UI language (search filters, sign-up); its catalogs load as an installed app.
    "django_countries",
    "csp",
    "ai",
    "accounts",
    "taxonomy",
    "suppliers",
    "conversations",
    "marketplace",
    "live",
    "rankings",
    "search",
    "ads",
    "sourcing",
    "deals",
    "oauth2_provider",
    "agents",
    "sellercentre",
    "demo",  # last: seed commands only, nothing imports it
]

MIDDLEWARE = [
    "core.middleware.RequestIdMiddleware",  # first: every later log line and queued task carries the request id
    # A database that went away (restart, failover) answers 503 with Retry-After, not 500, and its broken
    # connection is closed so the next request reconnects. Its process_exception sees what the view raised.
    "core.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything that can answer (CommonMiddleware), so CORS headers reach every API response.
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the session and the views, so it sees every write of the request (the session's too): a client that
    # wrote reads from the primary for DATABASE_REPLICA_STICKY_SECONDS. Does nothing without a replica.
    "core.db.ReadYourWritesMiddleware",
    # After WhiteNoise (static files need no policy), before anything that renders: templates read the nonce.
    "csp.middleware.CSPMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Signing in switches the language cookie to the buyer profile's language (accounts/preferences.py).
    "accounts.preferences.profile_language_middleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
# The site and the MCP server for buyers' agents (/mcp) together: config/asgi.py.
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
                "core.public_cache.context_processor",
                "accounts.context_processors.money",
            ],
        },
    },
]

# DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/silkway. Default: SQLite file under var/.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'silkway.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the dev server read while a seed or an eager task writes.
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # Memory per sort/hash step: a broad search sorts and groups tens of thousands of matches in one statement,
    # which spills to disk at PostgreSQL's 4 MB default. JIT off: on a broad search's estimated cost it compiles
    # for half a second to save milliseconds.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c work_mem={os.environ.get('DATABASE_WORK_MEM', '32MB')} -c jit=off"
    )
    # Fail fast when the server is unreachable: a new connection gives up after this many seconds (libpq's
    # connect_timeout; 0 waits forever, and libpq counts anything below 2 as 2) and the request gets the 503 page
    # (core.middleware.DatabaseUnavailableMiddleware) instead of hanging. Copied to the replica alias below.
    DATABASES["default"]["OPTIONS"]["connect_timeout"] = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3"))

# DATABASE_REPLICA_URL: a read replica (PostgreSQL streaming replica) of the same database. Reads go to it only where
# the code opts in with core.db.use_replica() (product search, the API product list) and config/db_router.py agrees
# (no transaction open, nothing written in the request). Unset: no "replica" alias, no router, nothing changes.
# In tests the alias mirrors default (TEST MIRROR); tests/config/test_db_router.py adds it when the env has none.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(
            DATABASE_REPLICA_URL,
            conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
            conn_health_checks=True,
        ),
        "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["config.db_router.ReplicaRouter"]
# Read your writes: a client (browser cookie, or API token) that wrote is served from the primary for this many
# seconds after its write, longer than the replica usually lags (core.db.ReadYourWritesMiddleware); 0 turns it off.
DATABASE_REPLICA_STICKY_SECONDS = float(os.environ.get("DATABASE_REPLICA_STICKY_SECONDS", "5"))

# Product search backend (search/backends): "auto" (default) follows the database engine, PostgreSQL full text
# on PostgreSQL and FTS5 on SQLite; "postgres" or "sqlite" force one.
SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND", "auto").strip().lower()
# The search log learns (search/learning.py): over the last SEARCH_LEARNING_DAYS, a query's words become a synonym
# candidate for operators when clicks on products that do not contain them reach SEARCH_LEARNING_MIN_CLICKS over
# SEARCH_LEARNING_MIN_SEARCHES searches. A run reads at most SEARCH_LEARNING_MAX_CLICKS clicks (newest first) and
# weighs at most SEARCH_LEARNING_MAX_QUERIES queries (most clicked first).
SEARCH_LEARNING_DAYS = int(os.environ.get("SEARCH_LEARNING_DAYS", "30"))
SEARCH_LEARNING_MIN_CLICKS = int(os.environ.get("SEARCH_LEARNING_MIN_CLICKS", "3"))
SEARCH_LEARNING_MIN_SEARCHES = int(os.environ.get("SEARCH_LEARNING_MIN_SEARCHES", "2"))
SEARCH_LEARNING_MAX_CLICKS = int(os.environ.get("SEARCH_LEARNING_MAX_CLICKS", "200000"))
SEARCH_LEARNING_MAX_QUERIES = int(os.environ.get("SEARCH_LEARNING_MAX_QUERIES", "500"))

# Keyword ads (ads/): sponsored results in product search, pay per click. ADS_ENABLED=false shows none.
ADS_ENABLED = env_bool("ADS_ENABLED", True)
# Impressions are counted in memory per process and written in batches (ads.impressions), never per result.
ADS_IMPRESSION_FLUSH_SECONDS = float(os.environ.get("ADS_IMPRESSION_FLUSH_SECONDS", "10"))
ADS_IMPRESSION_FLUSH_SIZE = int(os.environ.get("ADS_IMPRESSION_FLUSH_SIZE", "500"))
# Product page views (the seller dashboard's figures) are counted the same way (marketplace.stats).
PRODUCT_VIEW_FLUSH_SECONDS = float(os.environ.get("PRODUCT_VIEW_FLUSH_SECONDS", "30"))
PRODUCT_VIEW_FLUSH_SIZE = int(os.environ.get("PRODUCT_VIEW_FLUSH_SIZE", "500"))
# A sponsored result's signed click link works this long after the page was shown (then: no charge).
ADS_CLICK_MAX_AGE_SECONDS = int(os.environ.get("ADS_CLICK_MAX_AGE_SECONDS", "3600"))
# One billable click per visitor per ad in this window; more clicks than this per hour from one visitor are a flood.
ADS_REPEAT_CLICK_HOURS = int(os.environ.get("ADS_REPEAT_CLICK_HOURS", "24"))
ADS_CLICK_FLOOD_PER_HOUR = int(os.environ.get("ADS_CLICK_FLOOD_PER_HOUR", "20"))
# An inquiry about the clicked product within this many days of the click is the ad's conversion; the tuner
# counts conversion rates only over clicks older than the lag (most conversions arrive within it).
ADS_ATTRIBUTION_DAYS = int(os.environ.get("ADS_ATTRIBUTION_DAYS", "7"))
ADS_CONVERSION_LAG_DAYS = int(os.environ.get("ADS_CONVERSION_LAG_DAYS", "3"))
ADS_MAX_KEYWORDS_PER_CAMPAIGN = int(os.environ.get("ADS_MAX_KEYWORDS_PER_CAMPAIGN", "300"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "marketplace:home"
LOGOUT_REDIRECT_URL = "marketplace:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Buyers write in any language; these are the ones the UI, categories and translations serve.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("zh-hans", "简体中文"),
    ("es", "Español"),
    ("fr", "Français"),
    ("de", "Deutsch"),
    ("pt", "Português"),
    ("ru", "Русский"),
    ("ar", "العربية"),
    ("ja", "日本語"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
# Private uploads (certificates, ranking evidence, designations, order documents, sourcing attachments): their own
# storage (core.files.private_storage) under random names, never inside MEDIA_ROOT, never at a URL; views that check
# who may read them answer with core.files.private_file_response.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("DJANGO_PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
# nginx: the `internal;` location that aliases PRIVATE_MEDIA_ROOT (e.g. "/protected/"); downloads then answer with
# X-Accel-Redirect and nginx sends the bytes. Empty (the default): Django streams the file itself.
PRIVATE_MEDIA_ACCEL_REDIRECT = os.environ.get("DJANGO_PRIVATE_MEDIA_ACCEL_REDIRECT", "")
# Apache mod_xsendfile / lighttpd: answer with X-Sendfile (the file's absolute path) instead.
PRIVATE_MEDIA_SENDFILE = env_bool("DJANGO_PRIVATE_MEDIA_SENDFILE", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploads above this many bytes are rejected by the upload validators (product images, certificates).
SILKWAY_MAX_UPLOAD_BYTES = int(os.environ.get("SILKWAY_MAX_UPLOAD_BYTES", str(5 * 1024 * 1024)))

# E-mail (RFQ invitations, new quotes): printed to the console in the embedded default; set EMAIL_URL-style
# variables for a real server. SITE_URL builds the links in e-mails sent from tasks, where there is no request.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Silkway <no-reply@silkway.test>")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_CACHE_URL"]}
        if os.environ.get("REDIS_CACHE_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# What every visitor sees alike (catalog pages' main content, search results, API product lists) is cached this many
# seconds, and dropped at once when a catalog row is saved (core/public_cache.py); 0 turns the cache off.
PUBLIC_CACHE_SECONDS = int(os.environ.get("PUBLIC_CACHE_SECONDS", "300"))

# Celery. No broker configured -> tasks run eagerly in-process (the embedded default).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("CELERY_TASK_SOFT_TIME_LIMIT", "300"))
CELERY_TASK_TIME_LIMIT = int(os.environ.get("CELERY_TASK_TIME_LIMIT", "360"))
CELERY_TASK_ACKS_LATE = True
# Redis redelivers a message not acknowledged within the visibility timeout (acks_late: a worker killed mid-task
# never acknowledges). Kombu's default is one hour; keep it a little above the longest hard time limit, the 2100 s
# of the batch tasks (leaderboards, search rebuild) or CELERY_TASK_TIME_LIMIT if raised, so a live task is never
# delivered twice and a killed one comes back soon. It must also exceed the longest countdown/ETA (retry backoff
# up to 600 s). The result backend only stores results: no visibility timeout applies there.
# CELERY_BROKER_VISIBILITY_TIMEOUT overrides it (seconds); only lower it with the time limits and the leases that
# derive from them (tests/config/test_worker_kill.py kills a real worker with seconds-long ones).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(
        os.environ.get("CELERY_BROKER_VISIBILITY_TIMEOUT") or max(CELERY_TASK_TIME_LIMIT, 2100) + 300
    )
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
# Named queues, so AI work and batch jobs never starve quick ones: `celery worker -Q default,metrics,ai,batch`.
CELERY_TASK_ROUTES = {
    "conversations.tasks.supplier_metrics_*": {"queue": "metrics"},
    "*.tasks.*_ai_task": {"queue": "ai"},
}
CELERY_BEAT_SCHEDULE = {
    # Live sessions: reminders ~15 minutes before a registered session starts (once), fresh live badges.
    "live-reminders-send": {"task": "live.tasks.reminders_send_task", "schedule": 5 * 60},
    # Conversations: an e-mail about a message left unanswered for UNANSWERED_NOTIFY_MINUTES (once per message).
    "conversations-unanswered-notify": {
        "task": "conversations.tasks.unanswered_notify_task",
        "schedule": 5 * 60,
    },
    # Smart keyword tuning: one run per active campaign per day (ads.services.campaign_tune; idempotent per day).
    "ads-tune-campaigns-nightly": {
        "task": "ads.tasks.ads_tune_all_task",
        "schedule": 24 * 60 * 60,
        "options": {"queue": "batch"},
    },
    # Sourcing plans whose worker died mid-run (a lease of 10 minutes) are computed again.
    "sourcing-plan-sweep": {"task": "sourcing.tasks.sourcing_plan_sweep_task", "schedule": 10 * 60},
    "recompute-all-supplier-metrics-nightly": {
        "task": "conversations.tasks.supplier_metrics_recompute_all_task",
        "schedule": 24 * 60 * 60,
    },
    # Search: what the signals cannot report. Certificates lapse and start with the calendar, and a missed signal
    # leaves supplier signals stale: refresh both nightly (search_documents_refresh_derived). Products written
    # around the services (raw updates) are caught hourly by comparing updated_at with the document's indexed_at.
    "search-refresh-derived-nightly": {
        "task": "search.tasks.search_documents_refresh_derived_task",
        "schedule": 24 * 60 * 60,
        "options": {"queue": "batch"},
    },
    # The search log learns: synonym candidates from the last days of result clicks, for operators to approve.
    "search-synonym-candidates-mine-daily": {
        "task": "search.tasks.synonym_candidates_mine_task",
        "schedule": 24 * 60 * 60,
        "options": {"queue": "batch"},
    },
    "search-index-catch-up-hourly": {
        "task": "search.tasks.search_index_catch_up_task",
        "schedule": 60 * 60,
        "options": {"queue": "batch"},
    },
    "rescore-listings-and-queue-weakest-nightly": {
        "task": "marketplace.listings.tasks.listing_rescore_nightly_task",
        "schedule": 24 * 60 * 60,
    },
    # Finishes listing optimization runs whose poll was lost (AI_BATCH_IDLE_SECONDS without activity).
    "sweep-lost-listing-optimization-runs": {
        "task": "marketplace.listings.tasks.listing_batch_sweep_task",
        "schedule": 2 * 60,
    },
    # Leases that expired (the worker was killed): optimizations running past their lease, lone queued ones whose
    # message was lost, runs whose poll was lost are sent again (marketplace.listings.services.listing_lease_sweep).
    "listing-lease-sweep": {"task": "marketplace.listings.tasks.listing_lease_sweep_task", "schedule": 10 * 60},
    # Leaderboard runs whose worker died (rankings.services.GENERATION_RUN_LEASE) are taken over and finished;
    # published snapshots are never written twice.
    "leaderboard-run-sweep": {
        "task": "rankings.tasks.leaderboard_run_sweep_task",
        "schedule": 2 * 60,
        "options": {"queue": "batch"},
    },
    "recompute-supplier-order-metrics-nightly": {
        "task": "rankings.tasks.supplier_order_metrics_recompute_all_task",
        "schedule": 24 * 60 * 60,
    },
    # Deals: deliveries nobody confirmed, evidence nobody reviewed, disputes nobody answered (deals.services.orders).
    "deals-sweep-hourly": {"task": "deals.tasks.deals_sweep_task", "schedule": 60 * 60},
    # Agents' OAuth: expired access, refresh and ID tokens and grants (django-oauth-toolkit's clear_expired).
    "agents-clear-expired-tokens-daily": {"task": "agents.tasks.clear_expired_tokens_task", "schedule": 24 * 60 * 60},
    # Weekly snapshots; running daily is harmless (published periods are skipped) and retries a failed week.
    "generate-leaderboards-daily": {
        "task": "rankings.tasks.leaderboard_generate_all_task",
        "schedule": 24 * 60 * 60,
        "options": {"queue": "batch"},
    },
}

# AI provider (ai/). AI_PROVIDER: "auto" (default) uses OpenAI-compatible when OPENAI_API_KEY is set, else the
# deterministic offline rules; "offline" forces the rules; "openai" requires a key. OPENAI_BASE_URL points the
# official SDK at any OpenAI-compatible server (OpenAI, Azure, vLLM, Ollama, llama.cpp); empty means api.openai.com.
AI_PROVIDER = os.environ.get("AI_PROVIDER", "auto").strip().lower()
OPENAI_API_KEY = os.environ.get("OPENAI_API_KEY", "")
OPENAI_BASE_URL = os.environ.get("OPENAI_BASE_URL", "")
AI_MODEL = os.environ.get("AI_MODEL", "gpt-4o-mini")
AI_EMBEDDING_MODEL = os.environ.get("AI_EMBEDDING_MODEL", "text-embedding-3-small")
AI_EMBEDDING_DIMENSIONS = int(os.environ.get("AI_EMBEDDING_DIMENSIONS", "256"))
AI_TIMEOUT_SECONDS = float(os.environ.get("AI_TIMEOUT_SECONDS", "60"))
# AI calls made while a person waits for a page or an API answer (reading a sourcing request) get this timeout and
# no retries; on any failure the offline rules answer instead. AI_TIMEOUT_SECONDS and the retries are for tasks.
# Conversations: how long a message waits unanswered before the other side is e-mailed about it.
UNANSWERED_NOTIFY_MINUTES = int(os.environ.get("UNANSWERED_NOTIFY_MINUTES", "30"))
# Attachments to messages: the largest accepted, in megabytes.
MESSAGE_ATTACHMENT_MAX_MB = int(os.environ.get("MESSAGE_ATTACHMENT_MAX_MB", "10"))
AI_REQUEST_TIMEOUT_SECONDS = float(os.environ.get("AI_REQUEST_TIMEOUT_SECONDS", "8"))
# Search asks the model for the English of a query's unknown words (search/query_translation.py) with this timeout,
# far shorter than the one above, and no retries: a buyer waits for it; on a timeout the search runs as offline.
SEARCH_TRANSLATION_TIMEOUT_SECONDS = float(os.environ.get("SEARCH_TRANSLATION_TIMEOUT_SECONDS", "1.5"))
# Retries inside one call on 429/5xx/timeouts: exponential backoff from the base delay, capped;
# Retry-After is honoured up to the cap. Tasks with their own retry policy (ai.retry.AITask, e.g. listing
# optimization) call with no in-call retries and retry AI_TASK_MAX_RETRIES times instead, minutes apart
# (read when the tasks module is imported).
AI_MAX_RETRIES = int(os.environ.get("AI_MAX_RETRIES", "3"))
AI_RETRY_BASE_DELAY = float(os.environ.get("AI_RETRY_BASE_DELAY", "1.0"))
AI_RETRY_MAX_DELAY = float(os.environ.get("AI_RETRY_MAX_DELAY", "30"))
AI_TASK_MAX_RETRIES = int(os.environ.get("AI_TASK_MAX_RETRIES", "5"))
# Cost accounting: USD per million tokens, for the configured model (0 = unknown, tokens are still counted).
AI_PRICE_INPUT_PER_MTOK = float(os.environ.get("AI_PRICE_INPUT_PER_MTOK", "0"))
AI_PRICE_OUTPUT_PER_MTOK = float(os.environ.get("AI_PRICE_OUTPUT_PER_MTOK", "0"))
# Per-supplier daily budget for paid (non-offline) calls; 0 disables a limit.
AI_SUPPLIER_DAILY_REQUESTS = int(os.environ.get("AI_SUPPLIER_DAILY_REQUESTS", "500"))
AI_SUPPLIER_DAILY_TOKENS = int(os.environ.get("AI_SUPPLIER_DAILY_TOKENS", "2000000"))
# Listing optimization: products optimized at once per batch, and the nightly re-score that queues the weakest listings.
AI_BATCH_CONCURRENCY = int(os.environ.get("AI_BATCH_CONCURRENCY", "4"))
AI_RESCORE_THRESHOLD = int(os.environ.get("AI_RESCORE_THRESHOLD", "60"))
AI_RESCORE_MAX_PER_NIGHT = int(os.environ.get("AI_RESCORE_MAX_PER_NIGHT", "200"))
AI_RESCORE_COOLDOWN_DAYS = int(os.environ.get("AI_RESCORE_COOLDOWN_DAYS", "30"))
# A run with nothing sent, started or finished for this long has lost its poll: the sweeper finishes it. Keep it
# above the longest retry wait (10 min) plus twice CELERY_TASK_TIME_LIMIT.
AI_BATCH_IDLE_SECONDS = int(os.environ.get("AI_BATCH_IDLE_SECONDS", "3600"))

# Logs go to stderr. DJANGO_LOG_FORMAT: "json" (default when DJANGO_DEBUG is false) writes one JSON object per line
# (time, level, logger, message, request_id, exc_info); "text" (default in debug) is for people. request_id is the
# request's X-Request-ID (core.middleware.RequestIdMiddleware), carried into the Celery tasks it queues.
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "text" if DEBUG else "json").strip().lower()
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured('DJANGO_LOG_FORMAT must be "text" or "json".')
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.observability.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "core.observability.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# Transport security. Every default below follows from DJANGO_DEBUG: in debug (the embedded default) Django's own
# defaults stand (no redirect, no HSTS, plain cookies); with DJANGO_DEBUG=false `manage.py check --deploy` is clean.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe over plain HTTP: the health endpoints answer without a redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS") or (0 if DEBUG else 31536000))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
# Behind a TLS-terminating proxy: "Header-Name=value" that the proxy sets (and strips from clients) on HTTPS
# requests; "off" when Django faces clients directly (or in debug, by default).
_proxy_ssl_header = os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER", "" if DEBUG else "X-Forwarded-Proto=https")
if _proxy_ssl_header.strip() and _proxy_ssl_header.strip().lower() not in {"off", "none", "false", "0"}:
    _name, _sep, _value = _proxy_ssl_header.partition("=")
    if not _sep or not _name.strip() or not _value.strip():
        raise ImproperlyConfigured("DJANGO_SECURE_PROXY_SSL_HEADER must look like X-Forwarded-Proto=https, or off.")
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _name.strip().upper().replace("-", "_"), _value.strip())
# Only when the proxy sets X-Forwarded-Host itself (never passes a client's through).
USE_X_FORWARDED_HOST = env_bool("DJANGO_USE_X_FORWARDED_HOST", False)

# Content-Security-Policy (django-csp 4): same-origin everything; scripts only from our static files or inline
# blocks carrying the request's nonce (`<script nonce="{{ request.csp_nonce }}">`), never inline handlers. <style>
# elements need the nonce too; style *attributes* are allowed (style-src-attr): the rankings bars and charts and
# several admin displays set per-row widths and colours inline. The API docs views widen this (config/api_urls.py).
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/healthz", "/readyz"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
if os.environ.get("DJANGO_CSP_REPORT_URI"):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = os.environ["DJANGO_CSP_REPORT_URI"]
# Powerful browser features no page of ours uses (core.middleware.PermissionsPolicyMiddleware): all denied.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# Page rate limits (core/ratelimit.py), "count/period", counted in the throttles' cache: sign-in and sign-up per
# client address (sign-in per account too), inquiries per buyer only (offices share an address). Past the limit a
# person sees a 429 page saying how long to wait.
PAGE_RATE_LIMITS = {
    "login": os.environ.get("DJANGO_RATELIMIT_LOGIN", "10/15m"),
    "signup": os.environ.get("DJANGO_RATELIMIT_SIGNUP", "10/h"),
    "inquiry": os.environ.get("DJANGO_RATELIMIT_INQUIRY", "30/h"),
    # Each sends an e-mail: per address and per mailbox (reset) or per account (a new verification link).
    "password_reset": os.environ.get("DJANGO_RATELIMIT_PASSWORD_RESET", "5/h"),
    "email_verification": os.environ.get("DJANGO_RATELIMIT_EMAIL_VERIFICATION", "5/h"),
}

SITE_NAME = _("Silkway")

# Mobile API v1 (/api/v1/): JWT for apps, sessions for the browsable API; see config/api.py.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Fail closed: a view that forgets its permissions needs a login.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # JSON bodies only: one request format to validate and document (the browsable API posts raw JSON too).
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.KeysetCursorPagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.SilkwayAutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["core.api.throttles.AnonThrottle", "core.api.throttles.UserThrottle"],
    # Requests per client; "auth" is the stricter scope on token, registration and logout endpoints.
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "120/minute"),
        "user": os.environ.get("API_THROTTLE_USER", "600/minute"),
        "auth": os.environ.get("API_THROTTLE_AUTH", "10/minute"),
    },
    "NUM_PROXIES": int(os.environ["API_NUM_PROXIES"]) if os.environ.get("API_NUM_PROXIES") else None,
}
API_MAX_PAGE_SIZE = int(os.environ.get("API_MAX_PAGE_SIZE", "100"))

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=int(os.environ.get("JWT_ACCESS_MINUTES", "15"))),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=int(os.environ.get("JWT_REFRESH_DAYS", "30"))),
    # Each refresh hands out a new refresh token and blacklists the old one, so a stolen one dies on next use.
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "AUTH_HEADER_TYPES": ("Bearer",),
    "SIGNING_KEY": os.environ.get("JWT_SIGNING_KEY", SECRET_KEY),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Silkway API",
    "DESCRIPTION": "Mobile API v1 for buyers and supplier staff. Errors always look like "
    '`{"errors": [{"field": ..., "code": ..., "message": ...}]}`.',
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and Redoc from the installed drf-spectacular-sidecar static files, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # config.api_urls.IdConverter: ids of up to 18 digits.
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 0, "maximum": 10**18 - 1}},
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "core.api.schema.strings_without_nul"],
    "ENUM_NAME_OVERRIDES": {
        "SupplierKindEnum": "suppliers.models.SupplierKind",
        "VerificationLevelEnum": "suppliers.models.VerificationLevel",
        "CertificationTypeEnum": "suppliers.models.CertificationType",
        "ConversationStatusEnum": "conversations.models.ConversationStatus",
        "ConversationKindEnum": "conversations.models.ConversationKind",
        "MessageTranslationStatusEnum": "conversations.models.TranslationStatus",
        "LiveStatusEnum": "live.models.LiveStatus",
        "LanguageEnum": "config.settings.LANGUAGES",
    },
}

# Browsers may call the API only from these origins (comma-separated, e.g. https://app.silkway.example).
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/.*$"
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After"]

# Deals (deals/). The built-in payment provider is a manual bank transfer an operator confirms; a real provider is
# another class implementing deals.payments.PaymentProvider. The escrow account is what buyers are told to pay into.
DEALS_PAYMENT_PROVIDER = os.environ.get("DEALS_PAYMENT_PROVIDER", "deals.payments.ManualBankTransfer")
DEALS_ESCROW_ACCOUNT = {
    "beneficiary": os.environ.get("DEALS_ESCROW_BENEFICIARY", "Silkway Escrow (test account: moves no real money)"),
    "bank": os.environ.get("DEALS_ESCROW_BANK", "Example Bank"),
    "account": os.environ.get("DEALS_ESCROW_ACCOUNT", "XX00 0000 0000 0000 0000"),
    "swift": os.environ.get("DEALS_ESCROW_SWIFT", "EXAMPLEXX"),
}
# Days a buyer has to confirm delivery once the carrier reports it; after that delivery counts as confirmed.
DEALS_CONFIRM_DELIVERY_DAYS = int(os.environ.get("DEALS_CONFIRM_DELIVERY_DAYS", "7"))
# Days a buyer has to review a milestone's evidence (production start, B/L, inspection report) before its money is
# released automatically. The delivery milestone is released when the protection window closes instead.
DEALS_EVIDENCE_REVIEW_DAYS = int(os.environ.get("DEALS_EVIDENCE_REVIEW_DAYS", "7"))
# Days a supplier has to answer a dispute before the operator is asked to decide without the answer.
DEALS_DISPUTE_ANSWER_DAYS = int(os.environ.get("DEALS_DISPUTE_ANSWER_DAYS", "5"))
# The language contracts are drafted and worded in: one text both sides sign, whoever triggers the draft. The pages
# around a contract follow each reader's language.
DEALS_CONTRACT_LANGUAGE = os.environ.get("DEALS_CONTRACT_LANGUAGE", "en")
# Hours before a deadline (delivery counted as confirmed, protection window closing, dispute answer due) that the
# person who must act is reminded, once.
DEALS_REMINDER_HOURS = int(os.environ.get("DEALS_REMINDER_HOURS", "48"))
# Default protection window after delivery (days) written into new contracts.
DEALS_PROTECTION_DAYS = int(os.environ.get("DEALS_PROTECTION_DAYS", "30"))

# Throttles: the core app registers the system check (core.W001) that, with DEBUG off, the API throttles count in a
# cache every worker process shares (REDIS_CACHE_URL), not in each process's local memory.
INSTALLED_APPS += ["core"]

# Buyers' AI agents (agents/): OAuth 2.1 (django-oauth-toolkit) for the MCP server at /mcp. Public clients register
# themselves (RFC 7591, limited by agents.oauth.AgentClientRegistration to the authorization-code flow with PKCE and
# https or loopback redirects); every grant names scopes the buyer sees in plain words on the consent page.
from agents.scopes import SCOPE_DESCRIPTIONS  # noqa: E402

OAUTH2_PROVIDER = {
    "SCOPES": SCOPE_DESCRIPTIONS,
    "DEFAULT_SCOPES": ["catalog:read"],
    "PKCE_REQUIRED": True,
    "ACCESS_TOKEN_EXPIRE_SECONDS": int(os.environ.get("AGENT_ACCESS_TOKEN_SECONDS", "3600")),
    "REFRESH_TOKEN_EXPIRE_SECONDS": int(os.environ.get("AGENT_REFRESH_TOKEN_SECONDS", str(30 * 86400))),
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 120,
    # RFC 8252: a desktop agent listens on a loopback port it picks when it signs in.
    "ALLOW_LOCALHOST_LOOPBACK": True,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,  # bearer tokens in the Authorization header only
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,  # RFC 9207: the redirect names its issuer
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,  # tokens kept hashed at rest
    "OAUTH2_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OAUTH2_GRANT_TYPES_SUPPORTED": ["authorization_code", "refresh_token"],
    "OAUTH2_TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED": ["none"],
    "DCR_ENABLED": True,
    "DCR_REGISTRATION_PERMISSION_CLASSES": ("agents.oauth.AgentClientRegistration",),
    "OAUTH2_PROTECTED_RESOURCE_NAME": "Silkway MCP server",
}
# oauth2_provider.W008 warns that http redirect URIs are allowed: desktop assistants sign in through a loopback
# redirect (RFC 8252), and agents.oauth.AgentClientRegistration allows http to loopback hosts only.
SILENCED_SYSTEM_CHECKS = ["oauth2_provider.W008"]

# Calls per period for each caller of the MCP tools ("count/period", as PAGE_RATE_LIMITS): anonymous callers per
# address, signed-in agents per grant (buyer and agent) and per scope; RFQ drafts and messages also per day.
AGENT_RATE_LIMITS = {
    "anonymous": os.environ.get("AGENT_RATE_ANONYMOUS", "30/m"),
    "anonymous_compare": os.environ.get("AGENT_RATE_ANONYMOUS_COMPARE", "5/h"),
    "grant": os.environ.get("AGENT_RATE_GRANT", "120/m"),
    "sourcing:write": os.environ.get("AGENT_RATE_SOURCING_WRITE", "20/d"),
    "rfq:write": os.environ.get("AGENT_RATE_RFQ_WRITE", "10/d"),
    "messages:write": os.environ.get("AGENT_RATE_MESSAGES_WRITE", "30/d"),
    "registration": os.environ.get("AGENT_RATE_REGISTRATION", "20/h"),
}
# RFQs an agent may leave waiting for the buyer's confirmation at once: more is a flood, not help.
AGENT_MAX_PENDING_RFQS = int(os.environ.get("AGENT_MAX_PENDING_RFQS", "3"))
