"""Default settings; `instance/config.py` and the environment override them (see create_app)."""
import os

# Settings read from the environment when set; integers and booleans are converted.
ENV_SETTINGS = (
    "SECRET_KEY", "DATABASE_URL", "SERVER_NAME", "PREFERRED_URL_SCHEME",
    "MAIL_BACKEND", "MAIL_SERVER", "MAIL_PORT", "MAIL_USERNAME", "MAIL_PASSWORD",
    "MAIL_USE_TLS", "MAIL_USE_SSL", "MAIL_DEFAULT_SENDER", "MAIL_MAX_ATTEMPTS",
    "RATELIMIT_STORAGE_URI", "RATELIMIT_KEY_PREFIX", "RATELIMIT_ENABLED",
    "SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_DURATION",
    "LOGIN_FAILURES_PER_ACCOUNT", "LOGIN_FAILURES_PER_ADDRESS", "LOGIN_THROTTLE_WINDOW", "TRUSTED_PROXIES",
    "OFFICE_PHONE", "OFFICE_EMAIL", "OFFICE_WHATSAPP", "OFFICE_ADDRESS",
    "UPLOAD_MAX_BYTES", "INVITATION_MAX_AGE", "NCA_ROOTS_DIR", "MAIL_LAG_WARNING",
)


class Config:
    SECRET_KEY = None  # generated once into instance/secret_key when not given
    SQLALCHEMY_DATABASE_URI = None  # defaults to instance/grants.sqlite3
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    LANGUAGES = ("kk", "ru", "en")
    BABEL_DEFAULT_LOCALE = "ru"
    BABEL_DEFAULT_TIMEZONE = "Asia/Almaty"

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session: a slow form is not lost
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # true behind HTTPS: the remember cookie follows, and HSTS is sent
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = 30 * 24 * 3600  # seconds "Remember me" keeps a device logged in
    # How many proxies in front of the app set X-Forwarded-For and -Proto (nginx: 1). Without it
    # every request seems to come from the proxy, and the per-address log-in limit hits everyone.
    TRUSTED_PROXIES = 0

    PASSWORD_HASH_METHOD = "scrypt"

    BOOTSTRAP_SERVE_LOCAL = True  # Bootstrap from the installed package, never a CDN

    # Seconds a worker trusts the public pages it made (home, calls, draws, screening results)
    # before it asks the database whether they changed; an answer kept in front of the app
    # (app.page_cache.FastAnswers) may add as much again. None: 2 seconds, and 0 with TESTING
    # (a test sees its own changes at once).
    PUBLIC_CACHE_SECONDS = None

    # Pages and JSON compressed per response (static files are compressed once: app/assets.py).
    # Brotli and gzip: what the applicants' phone browsers all accept.
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_ALGORITHM_STREAMING = ["br", "gzip"]

    RATELIMIT_ENABLED = True
    # memory:// counts in each process: with several gunicorn workers or hosts, set it to Redis
    # (redis://127.0.0.1:6379/0) so that they share one count.
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_KEY_PREFIX = ""  # one of its own for each site sharing a Redis
    # Redis down never fails a page: the limits are then counted in each process (Redis is tried
    # again after 1, 2, 4... 32 s), and any other error of the storage is logged, the request served.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    # redis-py's: a Redis host that does not answer holds a request one second, not minutes.
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
    RATELIMIT_REGISTER = "5 per minute;30 per hour"
    RATELIMIT_HEADERS_ENABLED = True
    # Failed log-ins are counted in the database, so the limits hold across workers and hosts.
    LOGIN_THROTTLE_WINDOW = 15 * 60  # seconds
    LOGIN_FAILURES_PER_ACCOUNT = 10
    LOGIN_FAILURES_PER_ADDRESS = 30

    # "file" writes .eml files under instance/mail/, "smtp" sends through MAIL_SERVER.
    MAIL_BACKEND = "file"
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_TIMEOUT = 10
    MAIL_DEFAULT_SENDER = "ZHAS PROJECT <noreply@zhasproject.kz>"
    MAIL_MAX_ATTEMPTS = 8
    # /healthz says "warning" when the oldest unsent message has waited longer (seconds): the
    # mail sender is stopped, or the mail server refuses.
    MAIL_LAG_WARNING = 15 * 60

    EMAIL_CONFIRM_MAX_AGE = 3 * 24 * 3600
    PASSWORD_RESET_MAX_AGE = 2 * 3600
    INVITATION_MAX_AGE = 7 * 24 * 3600  # a staff invitation's set-password link

    UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024
    # A folder of the NCA's root and intermediate certificates (PEM or DER files) that checks the
    # certificate of an e-signature on a contract; None: not checked (the staff see it is not).
    NCA_ROOTS_DIR = None

    OFFICE_NAME = "ZHAS PROJECT"
    OFFICE_PHONE = "+7 700 000 00 00"
    OFFICE_WHATSAPP = "+7 700 000 00 00"
    OFFICE_EMAIL = "info@zhasproject.kz"
    OFFICE_ADDRESS = "Almaty"


def from_environment(environ=os.environ):
    """The settings given as environment variables, converted to the type of their default."""
    found = {}
    for name in ENV_SETTINGS:
        if name not in environ:
            continue
        value = environ[name]
        default = getattr(Config, name, None)
        if isinstance(default, bool):
            value = value.strip().lower() in ("1", "true", "yes", "on")
        elif isinstance(default, int):
            value = int(value)
        found[name] = value
    if "DATABASE_URL" in found:
        found["SQLALCHEMY_DATABASE_URI"] = normalize_database_url(found.pop("DATABASE_URL"))
    return found


def normalize_database_url(url):
    """Lets `postgresql://...` (as hosting panels print it) use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
