"""Configuration: defaults, then instance/config.py, then the test dict, then FLASK_* variables.

Nothing here reads the environment at import time; `load_config` runs inside `create_app`.
"""

import os
from pathlib import Path

from flask import Flask

from courseware.db import READS_BIND, reads_bind_options

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Defaults:
    SECRET_KEY = "dev-only-change-me"
    SQLALCHEMY_DATABASE_URI = None  # filled in by load_config: SQLite in the instance folder
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    COURSES_DIR = str(PROJECT_ROOT / "courses")
    SITE_NAME = "Huff CE"
    # Mail goes to an outbox table first; `flask outbox deliver` sends it through this backend.
    MAIL_BACKEND = "console"
    MAIL_DEFAULT_SENDER = "Huff CE <no-reply@localhost>"
    OUTBOX_MAX_ATTEMPTS = 6
    # Rate limits (Flask-Limiter); memory storage unless REDIS_URL is set.
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_LOGIN = "10 per minute;50 per hour"
    RATELIMIT_SIGNUP = "5 per minute;30 per hour"
    RATELIMIT_RESET = "5 per minute;20 per hour"
    RATELIMIT_VERIFY_RESEND = "3 per 10 minutes;10 per day"
    # Behind a TLS-terminating proxy, trust one hop of X-Forwarded-* so links in emails are https.
    PROXY_FIX = False
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    EMAIL_TOKEN_MAX_AGE = 3 * 24 * 3600  # verification links: three days
    RESET_TOKEN_MAX_AGE = 3600  # password reset links: one hour
    # Watch-time rules (DESIGN §5): budget = elapsed × top rate + allowance.
    WATCH_TOP_RATE = 2.0
    WATCH_ALLOWANCE_SECONDS = 5.0
    WATCH_MAX_INTERVALS = 200
    PASSWORD_MIN_LENGTH = 10
    # Certificates (DESIGN §5). A course's `certificate:` front matter overrides the signer and
    # signature; the provider's approval comes from the course's `approval:`.
    SITE_URL = None  # e.g. "https://ce.example.com"; verification links use the request's host if unset
    DEFAULT_TIME_ZONE = "America/Chicago"
    CERTIFICATE_PROVIDER_NAME = "Jennifer Huff, LLC"
    CERTIFICATE_SIGNER_NAME = "Jennifer Huff, OTR, MOT"
    CERTIFICATE_SIGNER_TITLE = "Instructor and Education Director"
    CERTIFICATE_SIGNATURE_IMAGE = str(PROJECT_ROOT / "static" / "img" / "signature.png")
    CERTIFICATE_SERIAL_PREFIX = "HCE"
    # Licence renewal rules per state (hours per cycle, self-study limits): data, not code.
    RENEWAL_RULES_FILE = str(PROJECT_ROOT / "courseware" / "transcript" / "renewal_rules.yaml")
    UPLOADS_DIR = None  # filled in by load_config: the instance folder's uploads/
    UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    # Lesson media uploaded in the studio: stored under MEDIA_DIR/<course id>/media/ (instance/media).
    MEDIA_DIR = None
    MEDIA_VIDEO_MAX_BYTES = 2 * 1024**3
    MEDIA_CAPTIONS_MAX_BYTES = 2 * 1024**2
    MEDIA_DOWNLOAD_MAX_BYTES = 100 * 1024**2
    # ... or in an S3-compatible bucket when MEDIA_S3_BUCKET is set (README: "Lesson media in S3").
    MEDIA_S3_BUCKET = None
    MEDIA_S3_ENDPOINT_URL = None  # MinIO, Cloudflare R2, ...; None is AWS itself
    MEDIA_S3_REGION = "us-east-1"
    MEDIA_S3_PREFIX = "media-uploads/"
    MEDIA_S3_URL_SECONDS = 300  # how long a presigned media URL works
    # Without these, boto3's own chain: AWS_* variables, ~/.aws, the instance's role.
    MEDIA_S3_ACCESS_KEY_ID = None
    MEDIA_S3_SECRET_ACCESS_KEY = None
    # Free downloads offered for joining the mailing list (/free/<key>).
    FREE_DOWNLOADS_FILE = str(PROJECT_ROOT / "courses" / "free-downloads.yaml")
    # Stripe (README: "Payments"). Without both keys the app runs and paid courses say so.
    STRIPE_SECRET_KEY = None
    STRIPE_WEBHOOK_SECRET = None
    STRIPE_API_BASE = None  # tests point the SDK at a local stub; None is Stripe's own address
    STRIPE_AUTOMATIC_TAX = False  # needs Stripe Tax set up in the Stripe account
    STRIPE_WEBHOOK_TOLERANCE_SECONDS = 300  # older signed events are refused (replays)
    # Forum: how long after posting its author may still delete a post.
    FORUM_DELETE_GRACE_MINUTES = 15
    # Rendered post lists and topic pages kept per worker process (forum.post_cache); 0: none.
    FORUM_POST_CACHE_BYTES = 32 * 1024 * 1024


def load_config(app: Flask, test_config: dict | None) -> None:
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    if test_config:
        app.config.update(test_config)
    app.config.from_prefixed_env()
    _apply_service_urls(app, test_config or {})
    if not app.config["UPLOADS_DIR"]:
        app.config["UPLOADS_DIR"] = str(Path(app.instance_path) / "uploads")
    if not app.config["MEDIA_DIR"]:
        app.config["MEDIA_DIR"] = str(Path(app.instance_path) / "media")


def _apply_service_urls(app: Flask, test_config: dict) -> None:
    """DATABASE_URL and REDIS_URL are the conventional names in production and CI."""
    database_url = os.environ.get("DATABASE_URL")
    if database_url and "SQLALCHEMY_DATABASE_URI" not in test_config:
        app.config["SQLALCHEMY_DATABASE_URI"] = database_url
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'courseware.db'}"
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgres://"):
        uri = "postgresql://" + uri.removeprefix("postgres://")
    if uri.startswith("postgresql://"):
        uri = "postgresql+psycopg://" + uri.removeprefix("postgresql://")
    app.config["SQLALCHEMY_DATABASE_URI"] = uri
    binds = app.config.get("SQLALCHEMY_BINDS") or {}
    if uri.startswith("postgresql") and READS_BIND not in binds:
        app.config["SQLALCHEMY_BINDS"] = {**binds, READS_BIND: reads_bind_options(uri)}
    redis_url = os.environ.get("REDIS_URL")
    if redis_url and "RATELIMIT_STORAGE_URI" not in test_config:
        app.config["RATELIMIT_STORAGE_URI"] = redis_url
