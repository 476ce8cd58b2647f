"""The load benchmark: the app under gunicorn on the benchmark database, driven by wrk from a
second process, page after page, each compared with the floor page measured in the same run.

    python -m bench.load --targets var/bench/targets.json --seconds 30

Production settings (DEBUG off, manifest static files, persistent connections), plain HTTP on
127.0.0.1 only. gunicorn is always stopped, whatever happens.
"""

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import time
from pathlib import Path

from bench import db
from bench.common import BASE_DIR, BIN, VAR, app_env, forget_page_copies
from bench.prepare import PAGES

SCRIPT = Path(__file__).with_name("load.lua")
SETTLE_SECONDS = 1.5


def parse(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.load")
    parser.add_argument("--database-url", default=db.database_url())
    parser.add_argument("--targets", default="var/bench/targets.json")
    parser.add_argument("--seconds", type=int, default=30, help="measured seconds per page")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured seconds per page")
    parser.add_argument("--rounds", type=int, default=1, help="every page this many times")
    parser.add_argument("--users", type=int, default=20, help="concurrent connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--var", default=str(VAR))
    parser.add_argument(
        "--pages", nargs="+", help="only these pages (each still between two floors), e.g. review"
    )
    return parser.parse_args(argv)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    def __init__(self, *, env: dict, workers: int, log: Path):
        self.env, self.workers, self.log = env, workers, log
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [
            str(BIN / "gunicorn"),
            "alliance.wsgi:application",
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(self.workers),
            "--worker-class", "sync",
            "--chdir", str(BASE_DIR),
            "--log-level", "warning",
            "--error-logfile", str(self.log),
        ]  # fmt: skip
        # Its own process group, so that stopping it stops every worker it forked.
        self.process = subprocess.Popen(command, env=self.env, start_new_session=True)  # noqa: S603
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                code = self.process.returncode
                raise RuntimeError(f"gunicorn exited with {code}; see {self.log}")
            try:
                status, _ = fetch(self.port, {"method": "GET", "path": "/healthz", "cookie": ""})
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer /healthz within 60 s; see {self.log}")

    def worker_pids(self) -> list[int]:
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                pids.append(int(entry.name))
        return sorted(pids)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # graceful: workers finish their request
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def fetch(port: int, entry: dict, revision: int | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": entry["cookie"]} if entry["cookie"] else {}
    body = None
    if entry["method"] == "POST":
        headers |= {
            "X-CSRFToken": entry["csrf"],
            "Content-Type": "application/x-www-form-urlencoded",
        }
        body = entry["body"] + str(revision if revision is not None else entry["revision"])
    try:
        connection.request(entry["method"], entry["path"], body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def refresh_revisions(entries: list[dict]) -> None:
    """Drafts are saved by every run: each run starts from the revisions as they are now."""
    from sessions_log.models import Session

    ids = {entry["path"].split("/")[2]: entry for entry in entries}
    for session_id, revision in Session.objects.filter(pk__in=ids).values_list("pk", "revision"):
        ids[str(session_id)]["revision"] = revision


def touch_sessions(entries: list[dict]) -> None:
    """The users are active: their idle clock (if the app keeps one) starts again now, so that
    a long run never meets an idle logout between two visits of the same user."""
    try:
        from alliance.middleware_security import LAST_SEEN
    except ImportError:
        return
    from django.contrib.sessions.backends.db import SessionStore

    now = int(time.time())
    for key in {entry["cookie"].split(";")[0].removeprefix("sessionid=") for entry in entries}:
        session = SessionStore(key)
        if LAST_SEEN in session:
            session[LAST_SEEN] = now
            session.save()


def lua(value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {lua(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "{\n" + ",\n".join(lua(v) for v in value) + "\n}"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=True)  # ASCII only: a valid Lua string literal


def wrk(page: str, entries: list[dict], *, port: int, seconds: int, args, var: Path) -> dict:
    # Requests still in the server when the previous run stopped finish first (a draft's
    # revision must be read after its last save).
    time.sleep(SETTLE_SECONDS)
    touch_sessions(entries)
    if entries and entries[0]["method"] == "POST":
        refresh_revisions(entries)
    data = var / "lua" / f"{page}.lua"
    data.parent.mkdir(parents=True, exist_ok=True)
    data.write_text("return " + lua(entries) + "\n")
    command = [
        "wrk", f"-t{args.threads}", f"-c{args.users}", f"-d{seconds}s", "--timeout", "10s",
        "-s", str(SCRIPT), f"http://127.0.0.1:{port}", "--", str(data), str(args.threads),
    ]  # fmt: skip
    done = subprocess.run(  # noqa: S603
        command, capture_output=True, text=True, timeout=seconds + 120, check=False
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"wrk failed on {page}: {done.stderr.strip() or done.stdout[-500:]}")
    return json.loads(lines[-1])


def check_pages(port: int, targets: dict, names) -> None:
    """Every page answers 200 to its first user before any load: a login page is no result."""
    for page in names:
        entries = targets[page]
        if not entries:
            raise RuntimeError(f"No targets for {page}: is the dataset empty?")
        touch_sessions(entries[:1])
        if entries[0]["method"] == "POST":
            refresh_revisions(entries[:1])
        status, body = fetch(port, entries[0])
        if status != 200:
            raise RuntimeError(f"{page}: {entries[0]['path']} answered {status}: {body[:300]!r}")


FIGURES = ("rps", "p50", "p95", "p99", "mean", "max")


def _median(runs: list[dict]) -> dict:
    row = {k: round(statistics.median(run[k] for run in runs), 2) for k in FIGURES}
    row["requests"] = sum(run["requests"] for run in runs)
    row["non_200"] = sum(run["non_200"] for run in runs)
    row["socket_errors"] = sum(run["socket_errors"] for run in runs)
    row["runs"] = [{k: run[k] for k in ("rps", "p50", "p95", "p99")} for run in runs]
    return row


def summarise(floors: list[dict], pages: dict[str, list[tuple[dict, float]]]) -> dict:
    """Per page: the median of its runs, and its ratio to the floor measured just before and
    just after each run (their mean), so that a machine busier for a while moves both."""
    result = {"floor": _median(floors) | {"ratio": 1.0}}
    for name, runs in pages.items():
        result[name] = _median([run for run, _ in runs]) | {
            "ratio": round(statistics.median(run["rps"] / floor for run, floor in runs), 3)
        }
    return result


def _report(label: str, result: dict) -> None:
    print(
        f"load: {label:40} {result['rps']:8.1f} req/s  p50 {result['p50']:7.1f}  "
        f"p95 {result['p95']:7.1f}  p99 {result['p99']:7.1f} ms"
        + (f"  non-200: {result['non_200']}" if result["non_200"] else "")
        + (f"  socket errors: {result['socket_errors']}" if result["socket_errors"] else ""),
        flush=True,
    )


def main(argv=None) -> dict:
    args = parse(argv)
    var = Path(args.var)
    db.setup_django(args.database_url)
    targets = json.loads(Path(args.targets).read_text())
    labels = dict(PAGES)
    server = Gunicorn(
        env=app_env(args.database_url), workers=args.workers, log=var / "gunicorn.log"
    )
    floors: list[dict] = []
    pages: dict[str, list[tuple[dict, float]]] = {
        name: [] for name, _ in PAGES[1:] if not args.pages or name in args.pages
    }

    def measure(name: str) -> dict:
        run = {"page": name, "entries": targets[name], "port": server.port}
        run |= {"args": args, "var": var}
        if args.warmup:
            wrk(seconds=args.warmup, **run)
        result = wrk(seconds=args.seconds, **run)
        _report(labels[name], result)
        return result

    forget_page_copies()
    try:
        server.start()
        check_pages(server.port, targets, ["floor", *pages])
        # Floor, page, floor, page, ... floor: every page between two floors.
        for _ in range(args.rounds):
            floors.append(measure("floor"))
            for name in pages:
                result = measure(name)
                floors.append(measure("floor"))
                pages[name].append((result, (floors[-2]["rps"] + floors[-1]["rps"]) / 2))
        workers = {pid: rss_mb(pid) for pid in server.worker_pids()}
        master = rss_mb(server.process.pid)
    finally:
        server.stop()
    memory = [mb for mb in workers.values() if mb is not None]
    result = {
        "pages": summarise(floors, pages),
        "memory_mb": {"workers": memory, "max": max(memory), "master": master},
        "settings": {
            k: getattr(args, k)
            for k in ("seconds", "warmup", "rounds", "users", "threads", "workers")
        },  # fmt: skip
    }
    print(f"load: gunicorn worker resident size after the load: {memory} MB", flush=True)
    return result


if __name__ == "__main__":
    print(json.dumps(main()))
