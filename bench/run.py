"""`make bench`: every benchmark, one after the other, then every figure against its target.

    python -m bench.run            # quick: small data, short load (a few minutes)
    python -m bench.run --full     # the clinic network: 200 therapists x 50 patients x 40 sessions

Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/alliance_bench;
the benchmark makes and drops its own databases, whose names contain "bench"), Redis
(BENCH_REDIS_URL, default redis://127.0.0.1:6379/8: its own database and queue) and wrk.
Results: var/bench/results-<quick|full>.json and .md.
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench import db
from bench.common import BASE_DIR, REDIS_URL, VAR, app_env
from bench.prepare import PAGES

SIZES = {
    "quick": {
        "generate": ["--therapists", "20", "--patients-per-therapist", "20",
                     "--sessions-per-patient", "12"],
        "load": ["--seconds", "8", "--warmup", "2", "--rounds", "1"],
        "reminder_goals": 10_000,
    },
    "full": {
        "generate": ["--therapists", "200", "--patients-per-therapist", "50",
                     "--sessions-per-patient", "40"],
        "load": ["--seconds", "30", "--warmup", "3", "--rounds", "2"],
        "reminder_goals": 100_000,
    },
}  # fmt: skip
P95_LIMIT_MS = 300
RATIO_TARGET = {"review": 0.35}
DEFAULT_RATIO = 0.5
SWEEP_LIMIT_S = 5
SENDING_RATIO = 0.5
RSS_LIMIT_MB = 200


def parse(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--full", action="store_true", help="the clinic network's size")
    parser.add_argument("--keep-data", action="store_true", help="reuse same-size databases")
    parser.add_argument("--skip-reminders", action="store_true")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    return parser.parse_args(argv)


class StepFailed(Exception):
    pass


def step(name: str, module: str, args: list[str], env: dict) -> dict:
    """Run one benchmark module in its own process; its last stdout line is its JSON."""
    print(f"\n== {name}", flush=True)
    started = time.monotonic()
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", module, *args],
        cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    last = ""
    for line in process.stdout:
        if line.startswith("{"):
            last = line
        else:
            print(line, end="", flush=True)
    if process.wait() != 0:
        raise StepFailed(f"{name} failed (exit {process.returncode}); its output is above")
    print(f"   ({time.monotonic() - started:.0f} s)", flush=True)
    return json.loads(last) if last else {}


def preflight() -> None:
    problems = []
    if shutil.which("wrk") is None:
        problems.append("wrk is not installed (make bench installs it: apt-get install wrk)")
    try:
        db.dataset(db.database_url())
    except Exception as error:
        problems.append(f"PostgreSQL is not reachable: {error}")
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as error:
        problems.append(f"Redis is not reachable at {REDIS_URL}: {error}")
    if problems:
        raise SystemExit("bench: " + "; ".join(problems))


def machine() -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    pg = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import psycopg2,sys; from bench import db; "
         "c=db._admin(db.database_url()); cur=c.cursor(); cur.execute('show server_version'); "
         "print(cur.fetchone()[0])"],
        cwd=BASE_DIR, capture_output=True, text=True, check=False,
    ).stdout.strip()  # fmt: skip
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(int(memory) / 1024 / 1024, 1),
        "python": platform.python_version(),
        "postgresql": pg,
        "load_average_at_start": os.getloadavg()[0],
    }


def verdicts(results: dict) -> list[tuple[str, str, str, bool | None]]:
    """(what, figure, target, met) for every target of the issue."""
    rows = []
    pages = results["load"]["pages"]
    for name, label in PAGES[1:]:
        page = pages[name]
        target = RATIO_TARGET.get(name, DEFAULT_RATIO)
        rows.append((f"{label}: p95", f"{page['p95']:.0f} ms", f"<= {P95_LIMIT_MS} ms",
                     page["p95"] <= P95_LIMIT_MS))  # fmt: skip
        rows.append((f"{label}: req/s vs floor", f"{page['ratio']:.2f}", f">= {target:.2f}",
                     page["ratio"] >= target))  # fmt: skip
    for name, row in results["queries"].items():
        if row["test_limit"] is not None:
            rows.append((f"Queries, {dict(PAGES)[name]}", str(row["queries"]),
                         f"<= {row['test_limit']} (tests)", row["within_limit"]))  # fmt: skip
    reminders = results.get("reminders", {})
    if "sweep" in reminders:
        sweep = reminders["sweep"]
        rows.append((f"Sweep over {sweep['active_goals']:,} goals", f"{sweep['first_seconds']} s",
                     f"< {SWEEP_LIMIT_S} s", sweep["first_seconds"] < SWEEP_LIMIT_S))  # fmt: skip
        ratio = reminders["sending"]["ratio"]
        rows.append(("Reminder sending vs no-op task", f"{ratio}", f">= {SENDING_RATIO}",
                     ratio is not None and ratio >= SENDING_RATIO))  # fmt: skip
    else:
        rows.append(("Reminders", "skipped", "", None))
    rss = results["load"]["memory_mb"]["max"]
    rows.append(("gunicorn worker RSS after the load", f"{rss} MB", f"< {RSS_LIMIT_MB} MB",
                 rss < RSS_LIMIT_MB))  # fmt: skip
    return rows


def markdown(results: dict) -> str:
    pages = results["load"]["pages"]
    lines = [
        f"Run {results['date']} ({results['mode']}), {results['machine']['cores']} cores "
        f"({results['machine']['cpu']}), load average at start "
        f"{results['machine']['load_average_at_start']:.1f}.",
        "",
        "| page | req/s | ratio to floor | p50 ms | p95 ms | p99 ms | queries | solo ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, label in PAGES:
        page, query = pages[name], results["queries"][name]
        lines.append(
            f"| {label} | {page['rps']:.1f} | {page['ratio']:.2f} | {page['p50']:.0f} | "
            f"{page['p95']:.0f} | {page['p99']:.0f} | {query['queries']} | {query['solo_ms']} |"
        )
    lines += ["", "| target | figure | limit | met |", "|---|---:|---:|:---:|"]
    for what, figure, target, met in verdicts(results):
        mark = {True: "yes", False: "**no**", None: "-"}[met]
        lines.append(f"| {what} | {figure} | {target} | {mark} |")
    return "\n".join(lines) + "\n"


def save(results: dict, mode: str) -> str:
    VAR.mkdir(parents=True, exist_ok=True)
    (VAR / f"results-{mode}.json").write_text(json.dumps(results, indent=2))
    if "load" not in results or "queries" not in results:
        return ""
    table = markdown(results)
    (VAR / f"results-{mode}.md").write_text(table)
    return table


def main(argv=None) -> None:
    args = parse(argv)
    mode = "full" if args.full else "quick"
    size = SIZES[mode]
    preflight()
    started = time.monotonic()
    url = db.database_url()
    env = app_env(url)
    keep = ["--keep"] if args.keep_data else []
    results = {
        "mode": mode,
        "date": datetime.datetime.now().astimezone().isoformat(timespec="minutes"),
        "machine": machine(),
    }
    results["generate"] = step(
        "Data", "bench.generate", [*size["generate"], "--database-url", url, "--json", *keep], env
    )
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=BASE_DIR, env=env, check=True,
    )  # fmt: skip
    step("Users and drafts", "bench.prepare", ["--database-url", url], env)
    results["queries"] = step("Queries per page", "bench.queries", ["--database-url", url], env)
    load = [*size["load"], "--database-url", url, "--workers", str(args.workers)]
    results["load"] = step("Load (wrk, 20 users)", "bench.load", load, env)
    if args.skip_reminders:
        results["reminders"] = {"skipped": "--skip-reminders"}
    else:
        save(results, mode)  # the pages' figures stay, whatever happens next
        reminder_url = db.database_url("_reminders")
        try:
            results["reminders"] = step(
                "Reminders", "bench.reminders",
                ["--database-url", reminder_url, "--goals", str(size["reminder_goals"]), *keep],
                app_env(reminder_url),
            )  # fmt: skip
        except StepFailed as error:
            print(f"bench: {error}", flush=True)
            results["reminders"] = {"skipped": str(error)}
    results["seconds"] = round(time.monotonic() - started)
    table = save(results, mode)
    print("\n== Results\n" + table)
    print(f"bench: {mode} run done in {results['seconds']} s; var/bench/results-{mode}.json")


if __name__ == "__main__":
    try:
        main()
    except StepFailed as failure:
        raise SystemExit(f"bench: {failure}") from None
