"""Fault tolerance against a real server: when the database goes away, pages answer 503 with a Dutch
message and /healthz says so; when it comes back, the running server recovers without a restart.

The test starts its own PostgreSQL (initdb into a temporary directory, its own port and socket
directory, listening on 127.0.0.1 only) so that it can stop and start it at will, without touching the
shared PostgreSQL or pytest-django's test database. The application runs as a real gunicorn (gthread,
as in `make serve`) with DEBUG off and persistent connections (CONN_MAX_AGE=60), the hard case: every
server thread holds a connection that dies with the database. Requests are plain HTTP (urllib).

Skipped when the PostgreSQL server binaries (initdb, pg_ctl; PG_BIN, default /usr/lib/postgresql/15/bin)
are not installed. As root, PostgreSQL runs as the `postgres` user (runuser).
"""

import concurrent.futures
import contextlib
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
GUNICORN = Path(sys.executable).with_name("gunicorn")
DUTCH_503 = "Tijdelijk niet beschikbaar"
WORKERS, SERVER_THREADS = 2, 4


def _why_not() -> str | None:
    if not (PG_BIN / "initdb").exists() or not (PG_BIN / "pg_ctl").exists():
        return f"PostgreSQL server binaries not found in {PG_BIN} (set PG_BIN)"
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root: we run it as the postgres user
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no postgres user to run PostgreSQL as"
        if not shutil.which("runuser"):
            return "running as root and runuser is not available"
    return None


pytestmark = pytest.mark.skipif(_why_not() is not None, reason=str(_why_not()))


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


class Cluster:
    """A throw-away PostgreSQL cluster in `base`, run as the `postgres` user when we are root."""

    def __init__(self, base: Path, port: int):
        self.data = base / "data"
        self.sock = base / "sock"
        self.log = base / "postgres.log"
        self.base = base
        self.port = port
        self.url = f"postgres://postgres@127.0.0.1:{port}/toezeggingen_faults"

    def _run(self, *args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
        cmd = [str(PG_BIN / args[0]), *args[1:]]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        # cwd: the postgres user may not be allowed into the current directory.
        result = subprocess.run(cmd, cwd=self.base, capture_output=True, text=True, timeout=timeout, check=False)  # noqa: S603
        if check and result.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
        return result

    def init(self) -> None:
        self.sock.mkdir()
        if os.geteuid() == 0:
            for path in (self.base, self.sock):
                shutil.chown(path, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.sock} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast", check: bool = True) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop", check=check)

    def running(self) -> bool:
        return self._run("pg_ctl", "-D", str(self.data), "status", check=False).returncode == 0

    def create_database(self) -> None:
        import psycopg

        with psycopg.connect(self.url.rsplit("/", 1)[0] + "/postgres", autocommit=True, connect_timeout=10) as conn:
            conn.execute("CREATE DATABASE toezeggingen_faults")


class Server:
    """gunicorn (gthread) serving the project with the given environment; output goes to a log file."""

    def __init__(self, env: dict[str, str], log: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.env = env
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        cmd = [
            str(GUNICORN),
            "config.wsgi:application",
            "--worker-class",
            "gthread",
            "--workers",
            str(WORKERS),
            "--threads",
            str(SERVER_THREADS),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "5",
        ]
        with open(self.log, "ab") as out:
            # A session of its own, so that teardown can end the master and its workers together.
            self.process = subprocess.Popen(  # noqa: S603
                cmd, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            with contextlib.suppress(OSError):
                # Ready: /healthz answers and both workers are up (where /proc lists children).
                if get(self.base + "/healthz", timeout=5)[0] == 200 and len(self.workers()) in (0, WORKERS):
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


def server_env(database_url: str, settings_module: str, pythonpath: Path) -> dict[str, str]:
    """Production-like settings; nothing inherited that could point the server elsewhere."""
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "LANG", "LC_ALL", "HOME", "TZ", "TMPDIR"}}
    env.update(
        DJANGO_SETTINGS_MODULE=settings_module,
        PYTHONPATH=os.pathsep.join([str(pythonpath), str(ROOT)]),
        DATABASE_URL=database_url,
        CONN_MAX_AGE="60",
        DEBUG="0",
        SECRET_KEY="".join(secrets.choice(string.ascii_letters + string.digits + "!@#%^&*(-_=+)") for _ in range(50)),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",  # plain HTTP on 127.0.0.1; production sits behind a TLS proxy
        SMTP_HOST="localhost",
        LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
    )
    return env


@pytest.fixture(scope="module")
def live():
    """Our own PostgreSQL and a gunicorn on it; everything is torn down even when setup or the test fails."""
    with contextlib.ExitStack() as stack:
        base = Path(tempfile.mkdtemp(prefix="toezeggingen-faults-"))
        stack.callback(shutil.rmtree, base, ignore_errors=True)
        cluster = Cluster(base, free_port())
        cluster.init()
        stack.callback(lambda: cluster.running() and cluster.stop("immediate", check=False))
        cluster.start()
        cluster.create_database()

        # Settings shim: the real settings with STATIC_ROOT in the temporary directory, so that
        # collectstatic (needed for the manifest storage with DEBUG off) does not write into var/.
        shim = base / "shim"
        shim.mkdir()
        (shim / "faults_settings.py").write_text(
            f"from config.settings import *  # noqa: F403\n\nSTATIC_ROOT = {str(base / 'static')!r}\n"
        )
        env = server_env(cluster.url, "faults_settings", shim)
        for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
            result = subprocess.run(  # noqa: S603
                [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
            )
            assert result.returncode == 0, f"manage.py {command[0]} failed:\n{result.stdout}\n{result.stderr}"

        server = Server(env, base / "server.log")
        stack.callback(server.stop)
        server.start()
        yield cluster, server


def burst(url: str, n: int) -> list[tuple[int, str]]:
    """n concurrent GETs, so that several server threads (each with its own connection) take part."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(lambda _: get(url), range(n)))


def wait_for(url: str, status: int, seconds: float) -> tuple[int, str]:
    deadline = time.monotonic() + seconds
    while True:
        answer = get(url)
        if answer[0] == status or time.monotonic() > deadline:
            return answer
        time.sleep(0.2)


def test_database_outage_gives_dutch_503_and_the_server_recovers_without_restart(live):
    cluster, server = live
    pid, workers = server.process.pid, server.workers()
    lst, health = server.base + "/toezeggingen/", server.base + "/healthz"

    def context(answer):
        return f"status {answer[0]}, body:\n{answer[1][:1500]}\n--- server log ---\n{server.log_tail()}"

    # Up: every thread gets a persistent connection.
    for answer in burst(lst, 2 * WORKERS * SERVER_THREADS):
        assert answer[0] == 200, context(answer)
    answer = get(health)
    assert answer[0] == 200 and json.loads(answer[1])["database"] == "ok", context(answer)

    # Database away: the connections held by the server threads are dead.
    cluster.stop("fast")
    for answer in burst(lst, WORKERS * SERVER_THREADS):
        assert answer[0] == 503, context(answer)
        assert DUTCH_503 in answer[1], context(answer)
    answer = get(health)
    assert answer[0] == 503, context(answer)
    expected = {"status": "error", "database": "unavailable", "migrations": "unknown"}
    assert json.loads(answer[1]) == expected, context(answer)

    # Database back: the same server process recovers within a few seconds.
    cluster.start()
    answer = wait_for(lst, 200, seconds=10)
    assert answer[0] == 200, context(answer)
    answer = wait_for(health, 200, seconds=10)
    assert answer[0] == 200 and json.loads(answer[1])["database"] == "ok", context(answer)
    # ... in every thread, not only the one that happened to answer first.
    for answer in burst(lst, 2 * WORKERS * SERVER_THREADS):
        assert answer[0] == 200, context(answer)
    assert server.process.poll() is None and server.process.pid == pid, "the server was restarted"
    assert server.workers() == workers, f"gunicorn workers were replaced:\n{server.log_tail()}"
