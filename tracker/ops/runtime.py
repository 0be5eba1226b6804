"""Operations: health check, request ids, structured logs and a clear answer when the database is away."""

import concurrent.futures
import json
import logging
import re
import threading
import time
import uuid
from contextvars import ContextVar
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_vary_headers

request_id: ContextVar[str] = ContextVar("request_id", default="-")
# The request being answered, for code that runs inside it without being handed it: followers are
# notified from the workflow's on-commit hook, and a failed send must reach the clerk who made the change.
current_request: ContextVar = ContextVar("current_request", default=None)
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
logger = logging.getLogger("tracker.requests")


def healthz(request):
    """Liveness and readiness for load balancers: no login, no secrets, 503 naming the failing part.

    Answers within HEALTHZ_TIMEOUT whatever the database does: a database that accepts connections but
    never answers would otherwise hang the probe, and the load balancer could not tell.
    """
    checks = _database_checks(timeout=settings.HEALTHZ_TIMEOUT)
    status = {"status": "ok", **checks}
    if status["database"] != "ok" or status["migrations"] != "ok":
        status["status"] = "error"
    return JsonResponse(status, status=200 if status["status"] == "ok" else 503)


def _database_check(conn) -> dict:
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(conn)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return {"database": "unavailable", "migrations": "unknown"}
    return {"database": "ok", "migrations": "pending" if pending else "ok"}


def _database_checks(*, timeout: float) -> dict:
    """Run the check on this thread's connection in a helper thread and wait at most `timeout` for it.

    A thread blocked in the database driver cannot be interrupted, so on timeout the check is left to
    finish on its own: it keeps (and then closes) the stuck connection, and this thread gets a fresh one
    for its next request. A daemon thread, so a check that never returns does not hold up a restart.
    """
    conn = connections[DEFAULT_DB_ALIAS]
    conn.inc_thread_sharing()
    result = concurrent.futures.Future()

    def run():
        # The migration recorder queries through the alias too: let it find the same connection here,
        # rather than open one of this thread's own that nobody would close.
        connections[DEFAULT_DB_ALIAS] = conn
        try:
            result.set_result(_database_check(conn))
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting request, which re-raises it
            result.set_exception(exc)

    threading.Thread(target=run, name="healthz-database", daemon=True).start()
    try:
        outcome = result.result(timeout=timeout)
    except concurrent.futures.TimeoutError:
        logger.error("database check timed out", extra={"timeout_s": timeout})
        connections[DEFAULT_DB_ALIAS] = connections.create_connection(DEFAULT_DB_ALIAS)
        result.add_done_callback(lambda _: _abandon(conn))
        return {"database": "timeout", "migrations": "unknown"}
    except BaseException:
        conn.dec_thread_sharing()
        raise
    conn.dec_thread_sharing()
    return outcome


def _abandon(conn) -> None:
    try:
        conn.close()
    except DatabaseError:
        pass  # it was broken anyway; nothing uses it any more
    finally:
        conn.dec_thread_sharing()


class DutchByDefaultLocaleMiddleware(LocaleMiddleware):
    """Dutch unless the visitor chose another language with the language switch (its cookie).

    Django's own middleware follows the browser's Accept-Language, so an English-language browser
    would get English labels around the register's Dutch quotes and summaries. The parliament's
    language is the default; English is there for whoever asks for it.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        try:
            language = translation.get_supported_language_variant(chosen or settings.LANGUAGE_CODE)
        except LookupError:
            language = translation.get_supported_language_variant(settings.LANGUAGE_CODE)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        # The same address answers in Dutch or English depending on the language cookie: a shared cache
        # must not hand one visitor's English page to the next. (Django's own adds Accept-Language only.)
        response = super().process_response(request, response)
        patch_vary_headers(response, ("Cookie",))
        return response


class RequestIdMiddleware:
    """Gives every request an id (kept from X-Request-ID when sane), logs one JSON line per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        # Not reset afterwards: Django logs 4xx/5xx responses after the middleware chain returns,
        # and those lines must carry the id too. The next request on this thread sets its own.
        request_id.set(rid)
        request.request_id = rid
        start = time.perf_counter()
        token = current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(token)
        response["X-Request-ID"] = rid
        logger.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - start) * 1000, 1),
            },
        )
        return response


class DatabaseUnavailableMiddleware:
    """When the database is away, answer 503 in Dutch instead of a 500; the next request reconnects."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DatabaseError) and not connection.is_usable():
            logger.error("database unavailable", extra={"path": request.path})
            connection.close()  # a fresh connection is opened on the next request
            body = render_to_string("503.html", request=None)
            return HttpResponse(body, status=503, headers={"Retry-After": "30"})
        return None


class NoDemoClerkBackend:
    """Refuses the development demo clerk (`manage.py demo_clerk`) when DEBUG is off; listed before ModelBackend.

    Its name and password are printed in the README, so a database carried over from development would
    otherwise give anyone a clerk's account on the server. Raising PermissionDenied stops the other
    backends and counts as a failed login (django-axes sees it too).
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        # Imported here: this module is loaded while logging is configured, before the apps are ready.
        from tracker.management.commands.demo_clerk import is_demo_login

        if not settings.DEBUG and is_demo_login(username, password):
            logger.warning("demo clerk login refused: DEBUG is off")
            raise PermissionDenied
        return None


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the request id, for log collectors."""

    RESERVED = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}

    def format(self, record):
        data = {
            # ISO 8601 with milliseconds and the UTC offset: a collector in another zone (or a DST change)
            # must not shift or reorder the lines. Local time is the site's TIME_ZONE (Django sets TZ).
            "time": datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id.get(),
        }
        data.update({k: v for k, v in record.__dict__.items() if k not in self.RESERVED})
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            # logger.x(..., stack_info=True) asks for the call stack; dropping it lost the one clue asked for.
            data["stack"] = self.formatStack(record.stack_info)
        return json.dumps(data, ensure_ascii=False, default=str)
