"""Builders shared by several test modules (issue #12: no test module imports another's helpers)."""

import importlib.util
from pathlib import Path

SETTINGS_FILE = Path(__file__).resolve().parent.parent / "config" / "settings.py"

# The environment variables of ours a settings test may set; each read starts without all of them.
SETTINGS_ENV = (
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "TRUSTED_PROXY_COUNT",
    "PROXY_COUNT",
    "DATABASE_URL",
    "DB_CONNECT_TIMEOUT",
    "DB_STATEMENT_TIMEOUT",
    "SMTP_HOST",
    "SMTP_TIMEOUT",
    "TRACKER_DOWNLOAD_RATE",
)


def settings_from_file(monkeypatch, **env):
    """config/settings.py read afresh with exactly these of our environment variables set."""
    for name in SETTINGS_ENV:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("settings_under_test", SETTINGS_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
