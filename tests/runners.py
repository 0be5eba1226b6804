"""Running things for tests, shared by several test modules: management commands in a process of their
own or in this one, and config/settings.py read afresh. Builders of data are in tests/factories.py."""

import importlib.util
import io
import os
import resource
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_FILE = ROOT / "config" / "settings.py"

# --- manage.py in a process of its own ---------------------------------------------------------------

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x7#kq2!vR9@pL4$wZ8^mN1&bT6*cY3(hJ5)fG0-dS2+aQ9=eU7~iO4",
    "ALLOWED_HOSTS": "toezeggingen.example.be",
    "DATABASE_URL": "sqlite:///:memory:",
    "SMTP_HOST": "smtp.example.be",
    "SITE_URL": "https://toezeggingen.example.be",
}


def manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def run_manage(*args, preamble="", timeout=60):
    """A management command in its own process, with memory capped, so an endless read fails fast
    instead of exhausting the machine."""
    code = (
        "import sys, django\n"
        "django.setup()\n"
        f"{preamble}\n"
        "from django.core.management import execute_from_command_line\n"
        f"execute_from_command_line(['manage.py', *{list(args)!r}])\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30)),
    )


# --- a management command in this process ------------------------------------------------------------


def import_command(tmp_path, data: bytes, *args) -> str:
    path = tmp_path / "toezeggingen.xml"
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_opendata", str(path), *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


# --- config/settings.py ------------------------------------------------------------------------------

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
