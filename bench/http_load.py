"""HTTP benchmark: the scorecard API and page under 50 concurrent clients, against a trivial Django view.

Run by ``make bench`` as ``.venv/bin/python bench/http_load.py``.

1. Builds a fresh SQLite database under ``bench/out/`` (``yuanqu migrate``, ``yuanqu demo load``), creates an
   API token for the demo statistician (``yuanqu token create``) and a logged-in session for the same user.
2. Starts gunicorn on a free loopback port with ``bench.http_wsgi`` (yuanqu's application, plus
   ``/bench/trivial`` through Django's own URL resolver and full middleware stack), DEBUG off, as the
   README deploys it: four sync workers (a sync worker closes the connection after each answer, so
   the clients reconnect; that cost is in every target's figures alike).
3. Drives each target with 50 concurrent keep-alive HTTP/1.1 clients (a small asyncio client in this file,
   one process) for a warm-up and then a measured window: the trivial view (the ceiling),
   ``/api/v1/scorecard`` with the token, and the scorecard page ``/`` with the session cookie.
4. Prints requests, errors, requests/s, p50/p95/p99 latency, the server's and the client's CPU per request,
   the goals (scorecard API p95 ≤ 100 ms and ≥ 50% of the trivial view's requests/s), the machine's cores
   and load. The server is stopped at the end, also on errors. Exits non-zero only when a request failed
   (a non-200 answer or a transport error), not when a goal is missed.

Options: ``--duration``/``--warmup`` (seconds per target), ``--clients``, ``--workers``/``--threads``
(gunicorn; ``--threads 1``, the default, means sync workers; more means gthread workers),
``--keep-db`` to reuse the database of an earlier run,
``--profile`` to run ``bench/http_profile.py`` afterwards (each target in-process under cProfile).
"""

import argparse
import asyncio
import json
import os
import platform
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"
DB_PATH = OUT_DIR / "http.sqlite3"
VAR_DIR = OUT_DIR / "http_var"
SERVER_LOG = OUT_DIR / "http_gunicorn.log"
RESULTS_JSON = OUT_DIR / "http.json"
BIN_DIR = Path(sys.executable).parent

HOST = "127.0.0.1"
USERNAME = "statistician"
ZONE, PERIOD = "yz-etdz", "2023-H1"

GOAL_API_P95_MS = 100.0
GOAL_API_SHARE_OF_TRIVIAL = 0.50

REQUEST_TIMEOUT_S = 15.0
SERVER_START_TIMEOUT_S = 30.0
SERVER_STOP_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    path: str
    headers: tuple[tuple[str, str], ...] = ()
    expect: bytes = b""  # a piece of the body that shows the answer is the real thing

    def request(self, port: int) -> bytes:
        lines = [f"GET {self.path} HTTP/1.1", f"Host: {HOST}:{port}", "User-Agent: yuanqu-bench", "Accept: */*"]
        lines += [f"{name}: {value}" for name, value in self.headers]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


@dataclass
class Result:
    target: Target
    latencies: list[float] = field(default_factory=list)  # seconds, measured window only
    statuses: Counter[int] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)  # transport errors, measured window only
    elapsed: float = 0.0
    server_cpu: float | None = None  # seconds of CPU of the gunicorn workers in the measured window
    client_cpu: float = 0.0  # seconds of CPU of this process in the measured window
    machine_cpu: float | None = None  # seconds of CPU of the whole machine (all processes) in the measured window
    body_bytes: int = 0

    @property
    def requests(self) -> int:
        return len(self.latencies) + sum(self.failures.values())

    @property
    def errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status != 200) + sum(self.failures.values())

    @property
    def rps(self) -> float:
        return self.statuses[200] / self.elapsed if self.elapsed else 0.0

    def percentile_ms(self, pct: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))  # nearest rank
        return ordered[rank - 1] * 1000

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.target.path,
            "requests": self.requests,
            "errors": self.errors,
            "statuses": dict(self.statuses),
            "failures": dict(self.failures),
            "requests_per_s": round(self.rps, 1),
            "p50_ms": round(self.percentile_ms(50), 2),
            "p95_ms": round(self.percentile_ms(95), 2),
            "p99_ms": round(self.percentile_ms(99), 2),
            "elapsed_s": round(self.elapsed, 3),
            "server_cpu_ms_per_request": self.cpu_ms_per_request(self.server_cpu),
            "client_cpu_ms_per_request": self.cpu_ms_per_request(self.client_cpu),
            "other_processes_cores": None if self.others is None else round(self.others, 2),
            "body_bytes": self.body_bytes,
        }

    @property
    def others(self) -> float | None:
        """Cores busy with processes other than the server and the client, on average over the window."""
        if self.machine_cpu is None or self.server_cpu is None or not self.elapsed:
            return None
        return max(0.0, self.machine_cpu - self.server_cpu - self.client_cpu) / self.elapsed

    def cpu_ms_per_request(self, seconds: float | None) -> float | None:
        if seconds is None or not self.requests:
            return None
        return round(seconds * 1000 / self.requests, 3)


# -- helpers ------------------------------------------------------------------------------


def progress(message: str) -> None:
    print(f"  … {message}", file=sys.stderr, flush=True)


def command_line() -> str:
    args = " ".join(shlex.quote(arg) for arg in sys.argv[1:])
    direct = f".venv/bin/python bench/http_load.py{' ' + args if args else ''}"
    if os.environ.get("MAKELEVEL"):
        return f"make bench  ({direct})"
    return direct


def relative(path: Path) -> str:
    try:
        return str(path.relative_to(PROJECT_DIR))
    except ValueError:
        return str(path)


def tool(name: str) -> str:
    """A console script of the virtualenv this script runs in."""
    path = BIN_DIR / name
    if not path.exists():
        raise SystemExit(f"{name} not found next to {sys.executable}: run `make deps` first")
    return str(path)


def base_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{DB_PATH}",  # DB_PATH is absolute: sqlite:////abs/path
        DEBUG="false",
        SECRET_KEY=os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        YUANQU_VAR_DIR=str(VAR_DIR),
        DJANGO_SETTINGS_MODULE="yuanqu.settings",
        # The project, not bench/ (see bench/http_wsgi.py), and this checkout's src/ ahead of whichever
        # checkout the virtualenv's editable install points at: the server runs the code beside this script.
        PYTHONPATH=os.pathsep.join([str(PROJECT_DIR / "src"), str(PROJECT_DIR)]),
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def run(args: list[str], env: dict[str, str]) -> str:
    completed = subprocess.run(args, env=env, cwd=PROJECT_DIR, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout + completed.stderr)
        raise SystemExit(f"failed ({completed.returncode}): {shlex.join(args)}")
    return completed.stdout


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def load_average() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def machine_cpu_seconds() -> float | None:
    """CPU time the whole machine spent busy so far (all cores, /proc/stat); None where that is missing."""
    try:
        with open("/proc/stat") as stat:
            fields = stat.readline().split()
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(value) for value in fields[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


# -- the database, the token and the session ----------------------------------------------

SESSION_CODE = """
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import User
user = User.objects.get(username={username!r}, is_active=True)
session = import_module(settings.SESSION_ENGINE).SessionStore()
session[SESSION_KEY] = user._meta.pk.value_to_string(user)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.save()
print("BENCH-SESSION", settings.SESSION_COOKIE_NAME, session.session_key)
"""


def database_prepare(env: dict[str, str], keep: bool) -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    if keep and DB_PATH.exists():
        progress(f"reusing {relative(DB_PATH)}")
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{DB_PATH}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    run([tool("yuanqu"), "migrate", "--no-input"], env)
    progress(f"migrated {relative(DB_PATH)} in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    run([tool("yuanqu"), "demo", "load"], env)
    progress(f"demo data loaded in {time.perf_counter() - started:.1f} s")


def credentials(env: dict[str, str]) -> tuple[str, str, str]:
    """An API token and a session cookie (name, key) for USERNAME."""
    output = run([tool("yuanqu"), "token", "create", USERNAME, "--name", "bench/http_load.py"], env)
    token = next((line.strip() for line in output.splitlines() if line.strip().startswith("yq_")), "")
    if not token:
        raise SystemExit(f"no token in the output of `yuanqu token create`: {output!r}")
    output = run([tool("yuanqu"), "shell", "-c", SESSION_CODE.format(username=USERNAME)], env)
    line = next((line for line in output.splitlines() if line.startswith("BENCH-SESSION ")), "")
    if not line:
        raise SystemExit(f"no session key in the output of `yuanqu shell`: {output!r}")
    _, cookie_name, session_key = line.split()
    return token, cookie_name, session_key


# -- the server ---------------------------------------------------------------------------


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    command: list[str]

    def worker_pids(self) -> list[int]:
        """The gunicorn workers: the master's children, from /proc (Linux)."""
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(fields[1]) == self.process.pid:
                pids.append(int(entry.name))
        return pids

    def cpu_seconds(self) -> float | None:
        """User + system CPU of the master and its workers so far; None where /proc is missing."""
        if not Path(f"/proc/{self.process.pid}/stat").exists():
            return None
        ticks = 0
        for pid in [self.process.pid, *self.worker_pids()]:
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")


def gunicorn_command(port: int, workers: int, threads: int) -> list[str]:
    command = [tool("gunicorn"), "bench.http_wsgi:application", "--bind", f"{HOST}:{port}", "--workers", str(workers)]
    if threads > 1:
        command += ["--worker-class", "gthread", "--threads", str(threads), "--keep-alive", "5"]
    else:
        command += ["--worker-class", "sync"]
    command += ["--chdir", str(PROJECT_DIR), "--log-level", "warning"]  # its log, and Django's: SERVER_LOG
    return command


@contextmanager
def server_running(env: dict[str, str], workers: int, threads: int) -> Iterator[Server]:
    port = free_port()
    command = gunicorn_command(port, workers, threads)
    server_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.http_settings"}
    with SERVER_LOG.open("wb") as log:
        process = subprocess.Popen(
            command, env=server_env, cwd=PROJECT_DIR, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
        )
    server = Server(process=process, port=port, command=command)
    try:
        server_wait(server)
        yield server
    finally:
        server_stop(process)


def server_wait(server: Server) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.process.returncode}:\n{server_log_tail()}")
        try:
            status, _ = asyncio.run(fetch_once(server.port, Target("ping", "ping", "/bench/trivial")))
        except (OSError, asyncio.IncompleteReadError):
            time.sleep(0.1)
            continue
        if status == 200:
            # Every worker imports Django on its own: let the others finish booting too.
            time.sleep(1.0)
            return
        raise SystemExit(f"/bench/trivial answered {status}:\n{server_log_tail()}")
    raise SystemExit(f"gunicorn did not answer within {SERVER_START_TIMEOUT_S:.0f} s:\n{server_log_tail()}")


def server_stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)  # gunicorn's graceful stop; it stops its workers
    try:
        process.wait(timeout=SERVER_STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def server_log_tail(lines: int = 30) -> str:
    try:
        return "\n".join(SERVER_LOG.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no server log)"


# -- the load generator -------------------------------------------------------------------


async def response_read(reader: asyncio.StreamReader) -> tuple[int, bool, bytes]:
    """One HTTP/1.1 response: (status, whether the server closes the connection, body)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head[:-4].split(b"\r\n")
    version, status_text = lines[0].split(b" ", 2)[:2]
    length: int | None = None
    chunked = False
    close = version == b"HTTP/1.0"
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value.lower()
        elif name == b"connection":
            close = value.strip().lower() == b"close"
    if chunked:
        parts = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await reader.readuntil(b"\r\n")  # no trailers from gunicorn
                break
            parts.append(await reader.readexactly(size + 2))
        body = b"".join(part[:-2] for part in parts)
    elif length is not None:
        body = await reader.readexactly(length)
    else:
        body, close = await reader.read(), True
    return int(status_text), close, body


async def fetch_once(port: int, target: Target) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        writer.write(target.request(port))
        async with asyncio.timeout(REQUEST_TIMEOUT_S):
            status, _, body = await response_read(reader)
        return status, body
    finally:
        writer.close()


async def client(port: int, request: bytes, measure_from: float, stop_at: float, result: Result) -> None:
    """One client: a request at a time on a keep-alive connection, reconnecting when the server closes it."""
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    clock = time.perf_counter
    try:
        while True:
            started = clock()
            if started >= stop_at:
                return
            try:
                async with asyncio.timeout(REQUEST_TIMEOUT_S):
                    if writer is None or reader is None:
                        reader, writer = await asyncio.open_connection(HOST, port)
                    writer.write(request)
                    status, close, _ = await response_read(reader)
            except (OSError, EOFError, ValueError, TimeoutError, asyncio.IncompleteReadError) as exc:
                if started >= measure_from:
                    result.failures[type(exc).__name__] += 1
                if writer is not None:
                    writer.close()
                reader = writer = None
                await asyncio.sleep(0.05)
                continue
            if started >= measure_from:
                result.latencies.append(clock() - started)
                result.statuses[status] += 1
            if close:
                writer.close()
                reader = writer = None
    finally:
        if writer is not None:
            writer.close()


async def load(server: Server, target: Target, clients: int, warmup: float, duration: float) -> Result:
    result = Result(target=target)
    request = target.request(server.port)
    status, body = await fetch_once(server.port, target)
    result.body_bytes = len(body)
    if status != 200 or target.expect not in body:
        print(f"\n{target.label}: the first answer is {status}, {len(body)} bytes: {body[:300]!r}", file=sys.stderr)

    start = time.perf_counter()
    measure_from = start + warmup
    stop_at = measure_from + duration
    marks: dict[str, float | None] = {}

    async def mark() -> None:
        await asyncio.sleep(max(0.0, measure_from - time.perf_counter()))
        marks["server"], marks["client"] = server.cpu_seconds(), time.process_time()
        marks["machine"] = machine_cpu_seconds()

    marker = asyncio.create_task(mark())
    tasks = [asyncio.create_task(client(server.port, request, measure_from, stop_at, result)) for _ in range(clients)]
    try:
        async with asyncio.timeout(warmup + duration + 2 * REQUEST_TIMEOUT_S):
            await asyncio.gather(marker, *tasks)
    except TimeoutError:
        result.failures["BenchTimeout"] += 1
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    finished = time.perf_counter()
    server_cpu, client_cpu, machine_cpu = server.cpu_seconds(), time.process_time(), machine_cpu_seconds()
    result.elapsed = finished - measure_from
    server_before, client_before = marks.get("server"), marks.get("client")
    if server_cpu is not None and server_before is not None:
        result.server_cpu = server_cpu - server_before
    if client_before is not None:
        result.client_cpu = client_cpu - client_before
    machine_before = marks.get("machine")
    if machine_cpu is not None and machine_before is not None:
        result.machine_cpu = machine_cpu - machine_before
    return result


# -- report -------------------------------------------------------------------------------


def met(ok: bool) -> str:
    return "met" if ok else "MISSED"


def report(
    results: dict[str, Result], server: Server, args: argparse.Namespace, load_before: str, load_after: str
) -> None:
    print()
    print(
        f"{'target':<34} {'requests':>9} {'errors':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
        f" {'server CPU':>10} {'client CPU':>10} {'others':>6} {'body B':>7}"
    )
    for result in results.values():
        srv = result.cpu_ms_per_request(result.server_cpu)
        cli = result.cpu_ms_per_request(result.client_cpu)
        print(
            f"{result.target.label:<34} {result.requests:>9} {result.errors:>7} {result.rps:>8.1f}"
            f" {result.percentile_ms(50):>8.1f} {result.percentile_ms(95):>8.1f} {result.percentile_ms(99):>8.1f}"
            f" {'—' if srv is None else f'{srv:.2f}':>10} {'—' if cli is None else f'{cli:.2f}':>10}"
            f" {'—' if result.others is None else f'{result.others:.2f}':>6} {result.body_bytes:>7}"
        )
    print(
        "  (server/client CPU: ms of CPU per request of the gunicorn processes / of this load generator; "
        "others: cores busy with\n   other processes meanwhile, on average — the machine is not the benchmark's alone)"
    )
    for result in results.values():
        if result.errors:
            statuses = ", ".join(f"{status}×{count}" for status, count in sorted(result.statuses.items()))
            failures = ", ".join(f"{name}×{count}" for name, count in result.failures.most_common())
            print(f"  {result.target.label}: answers {statuses}{'; ' + failures if failures else ''}")

    trivial, api = results["trivial"], results["api"]
    share = api.rps / trivial.rps if trivial.rps else 0.0
    p95 = api.percentile_ms(95)
    print()
    print(f"scorecard API / trivial view throughput: {share:.1%}")
    print("goals:")
    print(f"  scorecard API p95 ≤ {GOAL_API_P95_MS:.0f} ms: {p95:.1f} ms — {met(p95 <= GOAL_API_P95_MS)}")
    print(
        f"  scorecard API ≥ {GOAL_API_SHARE_OF_TRIVIAL:.0%} of the trivial view's req/s: {share:.1%} — "
        f"{met(share >= GOAL_API_SHARE_OF_TRIVIAL)}"
    )
    cores = usable_cores()
    needed = args.clients / (GOAL_API_P95_MS / 1000)
    server_ms = api.cpu_ms_per_request(api.server_cpu)
    print(
        f"reading: {args.clients} clients that always wait for their answer make latency ≈ {args.clients} ÷ req/s, so "
        f"a p95 of {GOAL_API_P95_MS:.0f} ms needs\n  more than {needed:.0f} req/s: at most "
        f"{cores / needed * 1000:.1f} ms of CPU per request (server and client) on {cores} cores; the scorecard API "
        f"takes {'—' if server_ms is None else f'{server_ms:.1f}'} ms of server CPU per request"
    )
    print()
    print(
        f"machine: {os.cpu_count()} cores ({usable_cores()} usable), load average {load_before} before, "
        f"{load_after} after; {platform.python_implementation()} {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )
    kind = f"gthread, {args.threads} threads each" if args.threads > 1 else "sync"
    print(f"server: gunicorn, {args.workers} workers ({kind}), DEBUG off, SQLite {relative(DB_PATH)}")
    print(f"  {shlex.join(relative_args(server.command))}")
    print(
        f"load: Python asyncio client (this script, one process, raw keep-alive HTTP/1.1), {args.clients} clients "
        f"per target, {args.warmup:g} s warm-up + {args.duration:g} s measured, user {USERNAME}, "
        f"zone={ZONE} period={PERIOD}; latency = request written → body read"
    )
    print(f"command: {command_line()}")


def relative_args(command: list[str]) -> list[str]:
    return [relative(Path(arg)) if arg.startswith(str(PROJECT_DIR)) else arg for arg in command]


# -- main ---------------------------------------------------------------------------------


def targets(token: str, cookie_name: str, session_key: str) -> list[Target]:
    query = f"zone={ZONE}&period={PERIOD}"
    return [
        Target("trivial", "trivial view  /bench/trivial", "/bench/trivial", expect=b"ok"),
        Target(
            "api",
            "scorecard API /api/v1/scorecard",
            f"/api/v1/scorecard?{query}",
            (("Authorization", f"Bearer {token}"),),
            expect=b'"figures"',
        ),
        Target("page", "scorecard page /", f"/?{query}", (("Cookie", f"{cookie_name}={session_key}"),), b"<html"),
    ]


def terminate(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds through the finally that stops the server


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients per target (default 50)")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of warm-up per target (default 2)")
    parser.add_argument("--duration", type=float, default=10.0, help="measured seconds per target (default 10)")
    # The defaults are the deployment the README gives: gunicorn's sync workers, four of them.
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (default 4)")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (gthread); 1 = sync (default)")
    parser.add_argument("--keep-db", action="store_true", help="reuse the database of an earlier run")
    parser.add_argument("--only", choices=["trivial", "api", "page"], action="append", help="run only these targets")
    parser.add_argument("--profile", action="store_true", help="then profile each target in-process (cProfile)")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, terminate)

    load_before = load_average()
    env = base_env()
    database_prepare(env, args.keep_db)
    token, cookie_name, session_key = credentials(env)
    selected = [target for target in targets(token, cookie_name, session_key) if target.key in (args.only or [])]
    selected = selected or targets(token, cookie_name, session_key)

    results: dict[str, Result] = {}
    with server_running(env, args.workers, args.threads) as server:
        progress(f"gunicorn on {HOST}:{server.port}, {args.workers} workers, log {relative(SERVER_LOG)}")
        for target in selected:
            progress(f"{target.label}: {args.clients} clients, {args.warmup:g} s + {args.duration:g} s")
            results[target.key] = asyncio.run(load(server, target, args.clients, args.warmup, args.duration))
        load_after = load_average()
        if "trivial" in results and "api" in results:
            report(results, server, args, load_before, load_after)
        else:
            for result in results.values():
                print(json.dumps({result.target.key: result.as_dict()}, ensure_ascii=False))
    if SERVER_LOG.exists() and SERVER_LOG.stat().st_size:
        print(f"\nserver log ({relative(SERVER_LOG)}), last lines:\n{server_log_tail(10)}")

    RESULTS_JSON.write_text(
        json.dumps(
            {
                "command": command_line(),
                "cores": os.cpu_count(),
                "load_average_before": load_before,
                "load_average_after": load_after,
                "workers": args.workers,
                "threads": args.threads,
                "clients": args.clients,
                "results": {key: result.as_dict() for key, result in results.items()},
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    if args.profile:
        print("\n== in-process profile (bench/http_profile.py) ==", flush=True)
        profile_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.http_settings", "BENCH_TOKEN": token}
        profiled = subprocess.run([sys.executable, "-m", "bench.http_profile"], env=profile_env, cwd=PROJECT_DIR)
        if profiled.returncode != 0:
            print(f"the profile failed ({profiled.returncode})", file=sys.stderr)

    failed = sum(result.errors for result in results.values())
    if failed:
        print(f"\nFAILED: {failed} requests did not answer 200", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
