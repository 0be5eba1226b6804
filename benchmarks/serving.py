"""The project served as in production, for the load test and the database-outage test.

gunicorn (gthread, as `make serve`) with DEBUG off on a free port of 127.0.0.1, the real settings with
STATIC_ROOT moved into a temporary directory (collectstatic, needed by the manifest storage with DEBUG off,
must not write into var/), and an environment that inherits nothing that could point it elsewhere.
"""

import contextlib
import os
import secrets
import signal
import socket
import string
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
SETTINGS_MODULE = "served_settings"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 15.0) -> tuple[int, str]:
    """Status and body of a GET; HTTP errors are answers too, not exceptions."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (our own http://127.0.0.1)
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def production_env(tmp: Path, database_url: str, **settings: str) -> dict[str, str]:
    """Environment for manage.py and gunicorn: production settings on `database_url`, static files in `tmp`."""
    shim = tmp / "shim"
    shim.mkdir(exist_ok=True)
    (shim / f"{SETTINGS_MODULE}.py").write_text(
        f"from config.settings import *  # noqa: F403\n\nSTATIC_ROOT = {str(tmp / 'static')!r}\n"
    )
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "LANG", "LC_ALL", "HOME", "TZ", "TMPDIR"}}
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS_MODULE,
        PYTHONPATH=os.pathsep.join([str(shim), str(ROOT)]),
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(50)),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",  # plain HTTP on 127.0.0.1; production sits behind a TLS proxy
        SMTP_HOST="localhost",  # only the deploy checks want it; nothing is sent
        PYTHONUNBUFFERED="1",
        **settings,
    )
    return env


def manage(env: dict[str, str], *args: str, timeout: float | None = None) -> str:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


class Gunicorn:
    """gunicorn (gthread) serving the project with `env`; its output goes to `log`."""

    def __init__(self, env: dict[str, str], log: Path, *, workers: int, threads: int, access_log: bool = False):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = env
        self.log = log
        self.worker_count = workers
        self.threads = threads
        self.access_log = access_log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        cmd = [
            str(GUNICORN),
            "config.wsgi:application",
            "--worker-class",
            "gthread",
            "--workers",
            str(self.worker_count),
            "--threads",
            str(self.threads),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--graceful-timeout",
            "5",
            *(["--access-logfile", "-"] if self.access_log else []),
        ]
        with open(self.log, "ab") as out:
            # A session of its own, so that stop() ends the master and its workers together.
            self.process = subprocess.Popen(  # noqa: S603
                cmd, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            with contextlib.suppress(OSError):
                # Ready: /healthz answers and every worker is up (where /proc lists children).
                if get(self.base + "/healthz", timeout=5)[0] == 200 and len(self.workers()) in (0, self.worker_count):
                    return
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer /healthz with 200 within 60 s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=15)

    def workers(self) -> set[int]:
        """The master's child processes (gunicorn workers); empty where /proc does not list children."""
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
        except OSError:
            return set()
        return {int(pid) for pid in children.split()}

    def log_tail(self, chars: int = 6000) -> str:
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return "(no server log)"
