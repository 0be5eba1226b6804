"""Two web servers, one PostgreSQL, one Redis, one task worker (#13), on loopback only.

    .venv/bin/python benchmarks/two_nodes.py [--clients 20] [--seconds 20] [--commitments 2000]
        [--database-url postgres://postgres@127.0.0.1:5432/postgres] [--redis-url redis://127.0.0.1:6379/5]

Creates the scratch database `toezeggingen_two_nodes` (dropped at the end), fills it with demo data, and
starts two gunicorn servers (as `make serve`, DEBUG off) on two free ports with TASKS_BACKEND=rq, the same
DATABASE_URL and the same REDIS_URL (queue and cache), plus two `rqworker --with-scheduler` (--task-workers).
Outgoing mail goes to an SMTP sink in this process (aiosmtpd), so what every process sends is counted in one
place.

Then: the load test's clients (benchmarks/loadtest.py), half on each server: 0 errors; a clerk logs in on
node A and moves a followed commitment to "vervallen": node B shows it at once, and each follower gets
exactly one e-mail (the sink is watched a few seconds longer for duplicates). Exit code 0 only if all holds.
The Redis database given is emptied at the start and at the end. CI runs a short version (`--seconds 5`).
"""

import argparse
import contextlib
import http.client
import http.cookies
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import loadtest  # benchmarks/, next to this script
from serving import ROOT, Gunicorn, free_port, manage, production_env

SCRATCH_DB = "toezeggingen_two_nodes"
FOLLOWERS = ["een@example.be", "twee@example.be", "drie@example.be"]
CLERK, PASSWORD = "twee-nodes-griffier", "Twee-nodes-wachtwoord-9"
log = loadtest.log


class Sink:
    """An SMTP server that keeps (recipient, subject) of every message it is given."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.received: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        from email import message_from_bytes
        from email.header import decode_header, make_header

        subject = str(make_header(decode_header(message_from_bytes(envelope.content)["Subject"] or "")))
        with self.lock:
            self.received += [(rcpt, subject) for rcpt in envelope.rcpt_tos]
        return "250 OK"


class Browser:
    """A clerk's browser on one node: cookies kept by hand (they are Secure, and this is plain HTTP behind
    what the app takes for the TLS proxy: X-Forwarded-Proto), CSRF token and Referer as a browser sends."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {
            "X-Forwarded-Proto": "https",
            "Referer": f"https://127.0.0.1:{self.port}{path}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = None
        if form is not None:
            form = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **form}
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in http.cookies.SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, response.headers.get("Location", ""), response.read().decode("utf-8", "replace")
        finally:
            conn.close()

    def login(self) -> None:
        self.request("GET", "/admin/login/")
        credentials = {"username": CLERK, "password": PASSWORD}
        status, location, _ = self.request("POST", "/admin/login/?next=/admin/", credentials)
        if status != 302 or "login" in location:
            raise RuntimeError(f"login on :{self.port} failed ({status} {location})")


SETUP = f"""
from django.contrib.auth import get_user_model
from tracker.models import Commitment, Follow
User = get_user_model()
User.objects.create_superuser({CLERK!r}, "griffier@example.be", {PASSWORD!r})
c = Commitment.objects.public().filter(status="open").order_by("pk").first()
for address in {FOLLOWERS!r}:
    user = User.objects.create_user(address.split("@")[0], email=address)
    Follow.objects.create(user=user, commitment=c)
print(c.pk, c.reference)
"""


def run_load(ports: list[int], numbers: list[int], clients: int, seconds: float):
    """The load test's clients, alternately on each node."""
    results = loadtest.Results()
    ready = threading.Barrier(clients + 1)
    clock: dict[str, float] = {}
    threads = [
        threading.Thread(
            target=loadtest.client, args=(ports[i % len(ports)], numbers, clock, ready, results, i), daemon=True
        )
        for i in range(clients)
    ]
    for t in threads:
        t.start()
    began = time.monotonic()
    clock["stop_at"] = began + seconds
    ready.wait()
    for t in threads:
        t.join()
    return results, time.monotonic() - began


def status_change_across_nodes(a: int, b: int, pk: int, reference: str, sink: Sink) -> list[str]:
    """A clerk's change on node A: visible on node B at once, and one e-mail per follower. Returns failures."""
    failures = []
    detail = f"/toezeggingen/{reference}/"
    _, before = loadtest.fetch(b, detail)
    if 'class="status status-open"' not in before.decode():
        failures.append(f"node B does not show {reference} as open before the change")
    clerk = Browser(a)
    clerk.login()
    path = f"/admin/tracker/commitment/{pk}/status/lapsed/"
    status, location, form = clerk.request("GET", path)
    version = re.search(r'name="version" value="([^"]+)"', form)
    if not version:
        return [*failures, f"no transition form on node A ({status} {location}):\n{form[:500]}"]
    began = time.perf_counter()
    status, _, _ = clerk.request("POST", path, {"version": version.group(1), "note": "Niet meer aan de orde."})
    request_seconds = time.perf_counter() - began
    _, after = loadtest.fetch(b, detail)
    _, listed = loadtest.fetch(b, f"/toezeggingen/?status=lapsed&q={reference}")  # its own list, not page 1
    log(f"status change on node A: HTTP {status} in {request_seconds * 1000:.0f} ms")
    if status != 302:
        failures.append(f"the change on node A answered {status}")
    if 'class="status status-lapsed"' not in after.decode():
        failures.append(f"node B's page of {reference} does not say lapsed right after the change on node A")
    if reference not in listed.decode():
        failures.append(f"node B's list of lapsed commitments lacks {reference} right after the change on node A")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(sink.received) < len(FOLLOWERS):
        time.sleep(0.2)
    time.sleep(5)  # long enough for a duplicate from a retry or a second run to show up
    recipients = sorted(rcpt for rcpt, _ in sink.received)
    log(f"e-mails received by the SMTP sink: {len(recipients)} ({', '.join(recipients)})")
    if recipients != sorted(FOLLOWERS):
        failures.append(f"expected one e-mail to each of {sorted(FOLLOWERS)}, the sink got {recipients}")
    return failures


def drop(server_url: str) -> None:
    loadtest.SCRATCH_DB = SCRATCH_DB
    loadtest.drop_database(server_url)


def main() -> int:  # noqa: C901 - one linear scenario with its teardown
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--commitments", type=int, default=2000)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--task-workers", type=int, default=2, help="RQ workers (default 2)")
    args = parser.parse_args()
    import redis

    signal.signal(signal.SIGTERM, loadtest.interrupted)
    tmp = Path(tempfile.mkdtemp(prefix="toezeggingen-two-nodes-"))
    loadtest.SCRATCH_DB = SCRATCH_DB
    db_url = loadtest.with_database(args.database_url, SCRATCH_DB)
    nodes: list[Gunicorn] = []
    workers: list[subprocess.Popen] = []
    sink = Sink()
    created = False
    try:
        redis.Redis.from_url(args.redis_url).flushdb()
        sink.controller.start()
        log(f"creating database {SCRATCH_DB}; SMTP sink on 127.0.0.1:{sink.port}")
        loadtest.create_database(args.database_url)
        created = True
        # All clients come from 127.0.0.1 and, with Redis, both nodes count them together: the per-client
        # download limit would answer most feeds and exports with 429, as in loadtest.py.
        env = production_env(tmp, db_url, TRACKER_DOWNLOAD_RATE="off")
        env.update(
            TASKS_BACKEND="rq",
            REDIS_URL=args.redis_url,
            SMTP_HOST="127.0.0.1",
            SMTP_PORT=str(sink.port),
            SMTP_TLS="0",
            TRACKER_MAIL_RETRY_SECONDS="1",
        )
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "generate_demo_data", f"--commitments={args.commitments}", "--speeches-per-session=5")
        loadtest.analyze(db_url)
        manage(env, "collectstatic", "--noinput", "-v0")
        pk, reference = manage(env, "shell", "--no-imports", "-c", SETUP).split()[-2:]
        numbers = loadtest.public_detail_numbers(env)
        nodes = [Gunicorn(env, tmp / f"gunicorn-{name}.log", workers=1, threads=8) for name in "ab"]
        for node in nodes:
            node.start()
        with open(tmp / "worker.log", "ab") as out:
            workers = [
                subprocess.Popen(  # noqa: S603
                    [sys.executable, "manage.py", "rqworker", "--with-scheduler", "default"],
                    cwd=ROOT,
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
                for _ in range(args.task_workers)
            ]
        ports = [node.port for node in nodes]
        log(f"node A :{ports[0]}, node B :{ports[1]} (gunicorn 1x8 each), {len(workers)} RQ workers, {args.redis_url}")
        for port in ports:
            loadtest.preflight(port, numbers)
        log(f"{args.clients} clients for {args.seconds:g} s, half on each node")
        results, elapsed = run_load(ports, numbers, args.clients, args.seconds)
        code = loadtest.report(results, elapsed, args.clients)
        failures = status_change_across_nodes(ports[0], ports[1], int(pk), reference, sink)
        for failure in failures:
            log(f"FAILED: {failure}")
        if any(p.poll() is not None for p in [*workers, *(node.process for node in nodes)]):
            failures.append("a server or the worker died")
        if failures or code:
            log("worker log (tail):\n" + (tmp / "worker.log").read_text(errors="replace")[-3000:])
            return 1
        log("OK: 0 errors on two nodes, the change visible at once on the other, every e-mail sent once")
        return 0
    except KeyboardInterrupt:
        log("interrupted")
        return 130
    except Exception as exc:
        log(f"FAILED: {exc}")
        for node in nodes:
            log(f"server log (tail):\n{node.log_tail()}")
        return 1
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        for node in nodes:
            node.stop()
        for worker in workers:
            if worker.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    worker.send_signal(signal.SIGTERM)
        for worker in workers:
            with contextlib.suppress(subprocess.TimeoutExpired):
                worker.wait(timeout=15)
            if worker.poll() is None:
                worker.kill()
        with contextlib.suppress(Exception):
            sink.controller.stop()
        with contextlib.suppress(Exception):
            redis.Redis.from_url(args.redis_url).flushdb()
        if created:
            drop(args.database_url)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
