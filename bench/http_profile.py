"""Where the time of ``bench/http_load.py``'s targets goes: each request in-process through Django's WSGI handler.

Run by ``.venv/bin/python bench/http_load.py --profile`` after the load, or alone from the project directory as
``.venv/bin/python -m bench.http_profile`` (then it uses the database ``bench/out/http.sqlite3`` of an earlier
run), so that ``bench`` is importable as a package.

The requests go to ``django.core.handlers.wsgi.WSGIHandler`` as gunicorn hands them over, with the
request_started/request_finished signals and so the database connection handling of a real server (not
``django.test.Client``, which keeps the connection open across requests and so hides that cost).

For each target: milliseconds and CPU per request without a profiler, the SQL queries of one request, then
cProfile over many requests — a breakdown of the request into its parts (cumulative time of the functions
that make it up, as a share of Django's handler) and the functions with the most own time.
"""

import cProfile
import io
import os
import pstats
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

BENCH_OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")
USERNAME = "statistician"
QUERY = "zone=yz-etdz&period=2023-H1"

# (label, end of the file's path, function name); a part that is not found (renamed) prints as "—".
HANDLER = ("Django handler, whole request", "django/core/handlers/base.py", "get_response")
COMMON = [
    ("  auth middleware: user from the session", "django/contrib/auth/__init__.py", "get_user"),
    ("  session middleware: response (a save once a minute)", "django/contrib/sessions/middleware.py",
     "process_response"),
    ("  roles: user_roles (groups query)", "yuanqu/accounts/roles.py", "user_roles"),
]  # fmt: skip
PARTS: dict[str, list[tuple[str, str, str]]] = {
    "trivial": [("  the view", "bench/http_urls.py", "trivial")],
    "api": [
        ("  fast path before ninja (_scorecard_from_cache)", "yuanqu/indicators/api.py", "_scorecard_from_cache"),
        ("    token authentication (token_authenticate)", "yuanqu/accounts/services.py", "token_authenticate"),
        ("    scorecard_json, cached: all of it", "yuanqu/indicators/writing.py", "scorecard_json"),
        ("      data_version (newest AuditEntry query)", "yuanqu/indicators/selectors.py", "data_version"),
        ("      cache.get (LocMemCache: unpickle)", "django/core/cache/backends/locmem.py", "get"),
        ("      compute_scorecard (cache miss)", "yuanqu/indicators/selectors.py", "compute_scorecard"),
        ("  ninja's operation (calls the fast path leaves to it)", "ninja/operation.py", "run"),
        ("    view scorecard_data", "yuanqu/indicators/api.py", "scorecard_data"),
    ],
    "page": [
        ("  view _dashboard, all of it", "yuanqu/indicators/views.py", "_dashboard"),
        ("    _selection (zones, available periods)", "yuanqu/indicators/views.py", "_selection"),
        ("    _scorecard_html (cached by data version)", "yuanqu/indicators/views.py", "_scorecard_html"),
        ("      on a cache miss: scorecard(), cached", "yuanqu/indicators/selectors.py", "scorecard"),
        ("      dashboard.cumulative_trend", "yuanqu/indicators/dashboard.py", "cumulative_trend"),
        ("        selectors.same_scope (within the trend)", "yuanqu/indicators/selectors.py", "same_scope"),
        ("      dashboard.page_data", "yuanqu/indicators/dashboard.py", "page_data"),
        ("      dashboard.card", "yuanqu/indicators/dashboard.py", "card"),
        ("      writing.paragraph", "yuanqu/indicators/writing.py", "paragraph"),
        ("    template rendering (render)", "django/shortcuts.py", "render"),
        ("      url reversing within it ({% url %})", "django/urls/base.py", "reverse"),
    ],
}
ORM = ("all ORM queries (compile + execute + rows)", "django/db/models/sql/compiler.py", "execute_sql")


@dataclass
class Sql:
    count: int = 0
    seconds: float = 0.0
    statements: list[tuple[float, str]] | None = None

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            self.count += 1
            self.seconds += elapsed
            if self.statements is not None:
                self.statements.append((elapsed, sql))


def find(stats: pstats.Stats, path_end: str, function: str) -> tuple[int, float] | None:
    """(calls, cumulative seconds) of a function, summed over the functions of that name in that file."""
    calls, seconds, found = 0, 0.0, False
    for (filename, _, name), (_, ncalls, _, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        if name == function and filename.replace(os.sep, "/").endswith(path_end):
            calls, seconds, found = calls + ncalls, seconds + cumulative, True
    return (calls, seconds) if found else None


def short(filename: str) -> str:
    for marker in ("site-packages/", "/src/", "/lib/python"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


@dataclass
class Answer:
    status_code: int
    content: bytes


class Wsgi:
    """GET requests straight into Django's WSGI handler, the way a WSGI server makes them."""

    def __init__(self, headers: dict[str, str] | None = None) -> None:
        from django.core.handlers.wsgi import WSGIHandler

        self.application = WSGIHandler()
        self.headers = {"HTTP_" + name.upper().replace("-", "_"): value for name, value in (headers or {}).items()}

    def get(self, path: str) -> Answer:
        path, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "SCRIPT_NAME": "",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "testserver",
            "HTTP_USER_AGENT": "yuanqu-bench",
            "HTTP_ACCEPT": "*/*",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            **self.headers,
        }
        started: list[str] = []
        body = self.application(environ, lambda status, headers, exc_info=None: started.append(status))
        try:
            content = b"".join(body)
        finally:
            body.close()  # sends request_finished, as a WSGI server does
        return Answer(int(started[0].split()[0]), content)


def target_profile(key: str, get: Callable[[], Answer], requests: int) -> None:
    from django.db import connection

    for _ in range(10):  # warm: caches, connections, templates
        response = get()
    status = response.status_code
    print(f"\n=== {key}: status {status}, {len(response.content)} bytes ===")
    if status != 200:
        raise SystemExit(f"{key} answered {status}: {response.content[:300]!r}")

    sql = Sql()
    with connection.execute_wrapper(sql):
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(requests):
            get()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"no profiler, {requests} requests: {wall * 1000 / requests:.2f} ms/request wall, "
        f"{cpu * 1000 / requests:.2f} ms CPU; {sql.count / requests:.1f} SQL queries/request taking "
        f"{sql.seconds * 1000 / requests:.2f} ms in the database driver"
    )
    one = Sql(statements=[])
    with connection.execute_wrapper(one):
        get()
    for elapsed, statement in one.statements or []:
        text = " ".join(statement.split())
        print(f"  {elapsed * 1000:6.2f} ms  {text[:150]}{'…' if len(text) > 150 else ''}")

    profile = cProfile.Profile()
    profile.enable()
    for _ in range(requests):
        get()
    profile.disable()
    stats = pstats.Stats(profile)
    handler = find(stats, HANDLER[1], HANDLER[2])
    total = handler[1] if handler else 0.0
    print(f"\ncProfile, {requests} requests (times inflated by the profiler; the shares are what count):")
    print(f"  {'part':<62} {'calls/req':>9} {'ms/req':>8} {'share':>7}")
    for label, path_end, function in [HANDLER, *COMMON, *PARTS.get(key, []), ORM]:
        found = find(stats, path_end, function)
        if found is None:
            print(f"  {label:<62} {'—':>9}")
            continue
        calls, seconds = found
        share = seconds / total if total else 0.0
        print(f"  {label:<62} {calls / requests:>9.1f} {seconds * 1000 / requests:>8.2f} {share:>7.1%}")
    print("  functions with the most own time:")
    rows = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)[:12]  # type: ignore[attr-defined]
    for (filename, line, name), (_, ncalls, own, cumulative, _) in rows:
        where = f"{short(filename)}:{line}({name})" if filename != "~" else name
        print(
            f"    own {own * 1000 / requests:6.2f} ms/req  cum {cumulative * 1000 / requests:6.2f}  "
            f"{ncalls / requests:8.1f}×  {where[:110]}"
        )


def configure() -> None:
    """The environment of bench/http_load.py's server, unless that script passed its own."""
    os.environ.setdefault("DATABASE_URL", "sqlite:///" + os.path.join(BENCH_OUT, "http.sqlite3"))
    os.environ.setdefault("YUANQU_VAR_DIR", os.path.join(BENCH_OUT, "http_var"))
    os.environ.setdefault("SECRET_KEY", "bench-http-profile-only")
    os.environ.setdefault("DEBUG", "false")
    os.environ["ALLOWED_HOSTS"] = "testserver"  # the host of Wsgi's requests
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.http_settings"


def main() -> int:
    configure()
    import django
    from django.conf import settings

    django.setup()
    from importlib import import_module

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User

    from yuanqu.accounts.services import token_create

    user = User.objects.get(username=USERNAME, is_active=True)
    token = os.environ.get("BENCH_TOKEN") or token_create(user=user, name="bench/http_profile.py")[1]
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    api = Wsgi({"Authorization": f"Bearer {token}"})
    page = Wsgi({"Cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}"})
    anonymous = Wsgi()

    engine = settings.DATABASES["default"]["ENGINE"]
    conn_max_age = settings.DATABASES["default"].get("CONN_MAX_AGE", 0)
    print(
        f"in-process through Django's WSGI handler, user {USERNAME}, DEBUG={settings.DEBUG}, {engine}, "
        f"CONN_MAX_AGE={conn_max_age}"
    )
    target_profile("trivial", lambda: anonymous.get("/bench/trivial"), 500)
    target_profile("api", lambda: api.get(f"/api/v1/scorecard?{QUERY}"), 200)
    target_profile("page", lambda: page.get(f"/?{QUERY}"), 50)
    return 0


if __name__ == "__main__":
    sys.exit(main())
