"""Configuration from environment variables, with safe defaults."""
import logging
import os

DEV_SECRET_KEY = "dev-only-insecure-secret-key"


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")  # default filled in by create_app
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SEARCH_INDEX_DIR = os.environ.get("SEARCH_INDEX_DIR")  # default: <instance>/search_index
    # "inline": the process that commits a change also applies the change log to the index (one process,
    # development and tests). "worker": a separate `flask index-worker` process applies it (production,
    # several gunicorn workers or machines).
    SEARCH_INDEX_MODE = os.environ.get("SEARCH_INDEX_MODE", "inline")
    BABEL_DEFAULT_LOCALE = "ja"
    BABEL_DEFAULT_TIMEZONE = "Asia/Tokyo"
    LANGUAGES = ("ja", "en")
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 2 * 1024 * 1024))
    MAX_FORM_MEMORY_SIZE = 500 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "1") != "0"
    WTF_CSRF_TIME_LIMIT = 3600
    JSON_SORT_KEYS = False
    # Mail: "smtp" (default) or "outbox" (development: files in instance/outbox, shown at /dev/outbox in debug).
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", 25))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "0") == "1"
    MAIL_USE_SSL = os.environ.get("MAIL_USE_SSL", "0") == "1"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_FROM = os.environ.get("MAIL_FROM", "こそだてポータル <no-reply@kosodate-portal.jp>")
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", 10))
    EMAIL_CHECK_DELIVERABILITY = os.environ.get("EMAIL_CHECK_DELIVERABILITY", "0") == "1"
    # Rate limits: in memory by default; e.g. redis://127.0.0.1:6379 to share them between processes.
    # Several instances (or gunicorn workers) must share them: redis://host:6379/0 (the `redis` package).
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "kosodate")
    RATELIMIT_HEADERS_ENABLED = True
    # RATELIMIT_ENABLED=0 switches every limit off: only for load benchmarks from one address (bench/).
    RATELIMIT_ENABLED = os.environ.get("RATELIMIT_ENABLED", "1") != "0"
    REMEMBER_COOKIE_DURATION = 30 * 24 * 3600
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "1") != "0"
    PERMANENT_SESSION_LIFETIME = 12 * 3600
    PASSPORT_QR_MAX_AGE = 15 * 60  # seconds a passport verification link stays valid
    # /readyz answers 503 when the search index is behind the change log by more than this (seconds).
    READYZ_MAX_INDEX_LAG = float(os.environ.get("READYZ_MAX_INDEX_LAG", 30))
    # Anonymous search pages and API answers kept this many seconds per web process (webapp/pagecache.py);
    # 0 switches the cache off.
    PAGE_CACHE_SECONDS = float(os.environ.get("PAGE_CACHE_SECONDS", 20))
    # Reference rows and result-card facilities kept per web process while the search index is unchanged, at
    # most this many seconds (webapp/search/rowcache.py); 0 switches the copies off.
    SEARCH_ROW_CACHE_SECONDS = float(os.environ.get("SEARCH_ROW_CACHE_SECONDS", 60))
    # Map tiles ({z}/{x}/{y}); the page's Content-Security-Policy allows the tile URL's host. Default: GSI
    # (国土地理院) 地理院タイル, standard map. Attribution is HTML shown in the map's corner.
    MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png")
    MAP_TILE_ATTRIBUTION = os.environ.get(
        "MAP_TILE_ATTRIBUTION", '<a href="https://maps.gsi.go.jp/development/ichiran.html">地理院タイル</a>')
    MAP_TILE_MAX_ZOOM = int(os.environ.get("MAP_TILE_MAX_ZOOM", 18))
    MAP_MAX_PINS = int(os.environ.get("MAP_MAX_PINS", 1000))  # pins one map view loads at most
    # Geocoder for facilities without coordinates: a dotted path "package.module:factory" (factory(config) ->
    # an object with geocode(address, municipality_code)); empty = offline, the municipality's point (approximate).
    GEOCODER = os.environ.get("GEOCODER", "")
    # Production mode refuses the development secret key.
    ENV_PRODUCTION = os.environ.get("KOSODATE_ENV", "development") == "production"


def check_config(config) -> None:
    """Refuse to start in production with unsafe settings."""
    if config.get("ENV_PRODUCTION"):
        key = config.get("SECRET_KEY") or ""
        if key == DEV_SECRET_KEY or len(key) < 32:
            raise RuntimeError(
                "SECRET_KEY must be set to a random value of at least 32 characters in production "
                "(KOSODATE_ENV=production)."
            )
        if not config.get("RATELIMIT_ENABLED", True):
            logging.getLogger(__name__).warning("rate limits are OFF (RATELIMIT_ENABLED=0): benchmarks only")
