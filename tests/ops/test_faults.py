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
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from benchmarks.serving import Gunicorn, free_port, get, manage, production_env

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
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

        env = production_env(base, cluster.url, CONN_MAX_AGE="60", LOG_LEVEL="INFO")
        manage(env, "migrate", "--noinput", "-v0", timeout=300)
        manage(env, "collectstatic", "--noinput", "-v0", timeout=300)

        server = Gunicorn(env, base / "server.log", workers=WORKERS, threads=SERVER_THREADS, access_log=True)
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
