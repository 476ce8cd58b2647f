"""Reminders at scale: the sweep's time over N active goals, and the worker's sending rate
against a task that does nothing, both through the same Redis, worker and settings.

    python -m bench.reminders --goals 100000

Its own database (alliance_bench_reminders): clinics of therapists whose patients (60% with
portal accounts) each have four active goals, reviews spread from two weeks overdue to ten
weeks ahead, so about a fifth are within the clinics' lead time. Reminder emails go through
Django's SMTP backend to a local sink (bench.smtp_sink). The worker is always stopped.
"""

import argparse
import datetime
import os
import signal
import statistics
import subprocess
import time

from bench import db
from bench.common import BASE_DIR, BIN, REDIS_URL, VAR, app_env

QUEUE = "alliance-bench"
TIMINGS_KEY = "alliance-bench:timings"
GOALS_PER_PATIENT = 4
PATIENTS_PER_THERAPIST = 50
SEND_TASK = "goals.tasks.send_review_reminder_batch"
NOOP_TASK = "bench.noop"


def parse(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.reminders")
    parser.add_argument("--database-url", default=db.database_url("_reminders"))
    parser.add_argument("--goals", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes")
    parser.add_argument("--timeout", type=int, default=900, help="seconds to wait for the worker")
    parser.add_argument("--send-limit", type=int, default=3000, help="digests sent, at most")
    parser.add_argument("--blocks", type=int, default=8, help="send/no-op blocks")
    parser.add_argument(
        "--db-reuse-max",
        type=int,
        default=0,
        help="what if: the worker keeps its database connection (CELERY_DB_REUSE_MAX)",
    )
    parser.add_argument("--keep", action="store_true", help="reuse the goals if already made")
    return parser.parse_args(argv)


def missing_parts() -> str | None:
    """Why the reminders cannot be measured yet, or None (they are being built elsewhere)."""
    try:
        from goals.reminders.sweep import sweep  # noqa: F401
        from goals.tasks import send_review_reminder_batch  # noqa: F401
    except ImportError as error:
        return f"goals.reminders.sweep.sweep or goals.tasks.send_review_reminder_batch: {error}"
    return None


def make_goals(args) -> None:
    from bench import generate

    patients = max(1, args.goals // GOALS_PER_PATIENT)
    therapists = max(1, patients // PATIENTS_PER_THERAPIST)
    generate.main([
        "--database-url", args.database_url,
        "--therapists", str(therapists),
        "--patients-per-therapist", str(patients // therapists),
        "--sessions-per-patient", "0",
        "--goals-per-patient", str(GOALS_PER_PATIENT),
        "--decisions-per-patient", "0",
        "--all-goals-active",
        *(["--keep"] if args.keep else []),
    ])  # fmt: skip


def _redis():
    import redis

    return redis.Redis.from_url(REDIS_URL)


def reset(client) -> None:
    """No reminder yet; nothing of ours queued. Only the benchmark's own keys are touched."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE goals_reviewreminder")
    client.delete(QUEUE, TIMINGS_KEY)


def time_sweeps() -> dict:
    from goals.models import Goal, Lifecycle
    from goals.reminders.sweep import sweep

    goals = Goal.objects.filter(lifecycle_status=Lifecycle.ACTIVE).count()
    started = time.perf_counter()
    first = sweep()
    first_seconds = time.perf_counter() - started
    started = time.perf_counter()
    again = sweep()
    again_seconds = time.perf_counter() - started
    result = {
        "active_goals": goals,
        "first_seconds": round(first_seconds, 2),
        "created": first.created,
        "queued": first.queued,
        "repeat_seconds": round(again_seconds, 2),
        "repeat_created": again.created,
    }
    print(
        f"reminders: sweep over {goals:,} active goals: {first_seconds:.2f} s "
        f"({first.created:,} reminders made, {first.queued:,} emails queued); "
        f"again at once: {again_seconds:.2f} s ({again.created} made)",
        flush=True,
    )
    return result


def queue_blocks(pairs: list[tuple[int, datetime.date]], blocks: int) -> int:
    """The sweep's sending tasks, in blocks, each followed by a no-op task per digest: both
    kinds run through the same period, so a machine busier for a while slows both alike.
    Digests go in batches as the sweep queues them (REMINDER_BATCH_SIZE to a task). Returns
    the number of tasks queued (one timing line each)."""
    from bench.worker import noop
    from goals.reminders import settings as reminder_settings
    from goals.tasks import send_review_reminder_batch

    size = max(1, -(-len(pairs) // blocks))
    batch_size = reminder_settings.get("REMINDER_BATCH_SIZE")
    messages = 0
    for first in range(0, len(pairs), size):
        block = pairs[first : first + size]
        for start in range(0, len(block), batch_size):
            batch = [[r, d.isoformat()] for r, d in block[start : start + batch_size]]
            send_review_reminder_batch.apply_async((batch,), queue=QUEUE)
            messages += 1
        for recipient_id, day in block:
            noop.apply_async((recipient_id, day.isoformat()), queue=QUEUE)
            messages += 1
    return messages


def start_worker(env: dict, concurrency: int, log) -> subprocess.Popen:
    command = [
        str(BIN / "celery"), "-A", "bench.worker", "worker",
        "--pool", "prefork", "--concurrency", str(concurrency), "-Q", QUEUE,
        "-n", f"alliance-bench-{os.getpid()}@%h",
        "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "WARNING",
    ]  # fmt: skip
    return subprocess.Popen(  # noqa: S603
        command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stopping it stops its pool
    )  # fmt: skip


def stop_worker(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)  # warm shutdown: the running tasks finish
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def segments(lines: list[bytes]) -> list[dict]:
    """Runs of one task name, in the order they started; each with its rate.

    A task counts as many digests as it carried (a batch), so rates are digests (emails) per
    second. A run's time is counted per worker process, from its first task of the run to its
    last, then shared among the processes: a long batch still running on one process while
    the other has moved on to no-op tasks counts for the batches only on the first.
    """
    runs = []
    for line in lines:
        name, started, ended, state, units, pid = line.decode().split(" ")
        runs.append((float(started), float(ended), name, state, int(units), pid))
    runs.sort()
    processes = len({run[5] for run in runs}) or 1
    found: list[dict] = []
    for started, ended, name, state, units, pid in runs:
        if not found or found[-1]["name"] != name:
            found.append(
                {"name": name, "spans": {}, "tasks": 0, "messages": 0, "failed": 0, "busy": 0}
            )
        segment = found[-1]
        first, last = segment["spans"].get(pid, (started, ended))
        segment["spans"][pid] = (min(first, started), max(last, ended))
        segment["busy"] += ended - started
        segment["tasks"] += units
        segment["messages"] += 1
        segment["failed"] += state != "SUCCESS"
    for segment in found:
        spans = segment.pop("spans").values()
        segment["seconds"] = sum(last - first for first, last in spans) / processes
        segment["per_second"] = segment["tasks"] / segment["seconds"] if segment["seconds"] else 0
    return found


def rates(found: list[dict], name: str) -> dict:
    mine = [s for s in found if s["name"] == name]
    tasks, seconds = sum(s["tasks"] for s in mine), sum(s["seconds"] for s in mine)
    return {
        "tasks": tasks,
        "messages": sum(s["messages"] for s in mine),
        # Per digest for the batches (a task's time shared among its digests).
        "mean_task_ms": round(sum(s["busy"] for s in mine) / tasks * 1000, 2) if tasks else None,
        "seconds": round(seconds, 2),
        "per_second": round(tasks / seconds, 1) if seconds else None,
        "failed": sum(s["failed"] for s in mine),
    }


def block_ratios(found: list[dict]) -> list[float]:
    """Each block of sending against the no-op block that follows it (blocks of 20+ tasks;
    a run of a few is only the edge between two blocks)."""
    big = [s for s in found if s["tasks"] >= 20]
    return [
        round(a["per_second"] / b["per_second"], 3)
        for a, b in zip(big, big[1:], strict=False)
        if a["name"] == SEND_TASK and b["name"] == NOOP_TASK and b["per_second"]
    ]


def time_sending(args) -> dict:
    from bench.smtp_sink import SmtpSink
    from goals.models import ReviewReminder

    client = _redis()
    # What the sweep queued is replaced by the same work, interleaved with no-op tasks.
    client.delete(QUEUE, TIMINGS_KEY)
    pairs = sorted(
        ReviewReminder.objects.filter(status=ReviewReminder.Status.PENDING)
        .order_by()
        .values_list("recipient_id", "remind_on")
        .distinct()
    )[: args.send_limit]
    expected = queue_blocks(pairs, args.blocks)
    sink = SmtpSink().start()
    env = app_env(
        args.database_url,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(sink.port),
        BENCH_CELERY_QUEUE=QUEUE,
        BENCH_TIMINGS_KEY=TIMINGS_KEY,
    )
    if args.db_reuse_max:
        env["BENCH_CELERY_DB_REUSE_MAX"] = str(args.db_reuse_max)
    with open(VAR / "worker.log", "w") as log:
        worker = start_worker(env, args.concurrency, log)
        try:
            deadline = time.monotonic() + args.timeout
            while client.llen(TIMINGS_KEY) < expected:
                if worker.poll() is not None:
                    raise RuntimeError(f"the worker stopped; see {VAR / 'worker.log'}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the worker did not finish within {args.timeout} s")
                time.sleep(0.5)
        finally:
            stop_worker(worker)
            sink.stop()
    found = segments(client.lrange(TIMINGS_KEY, 0, -1))
    client.delete(QUEUE, TIMINGS_KEY)
    send, noop = rates(found, SEND_TASK), rates(found, NOOP_TASK)
    per_block = block_ratios(found)
    ratio = round(statistics.median(per_block), 3) if per_block else None
    sent = ReviewReminder.objects.filter(status=ReviewReminder.Status.SENT).count()
    print(
        f"reminders: sending {send['per_second']} emails/s ({send['tasks']:,} digests, "
        f"{sent:,} reminders, {sink.messages:,} emails accepted by the SMTP sink); no-op task "
        f"{noop['per_second']}/s; ratio {ratio} (median of {len(per_block)} blocks: {per_block})",
        flush=True,
    )
    return {
        "send": send,
        "noop": noop,
        "ratio": ratio,
        "block_ratios": per_block,
        "reminders_sent": sent,
        "emails": sink.messages,
        "concurrency": args.concurrency,
    }


def main(argv=None) -> dict:
    args = parse(argv)
    db.setup_django(args.database_url)
    reason = missing_parts()
    if reason:
        print(f"reminders: SKIPPED, not built yet ({reason})", flush=True)
        return {"skipped": reason}
    make_goals(args)
    client = _redis()
    reset(client)
    sweeps = time_sweeps()
    sending = time_sending(args)
    return {"sweep": sweeps, "sending": sending, "goals": args.goals}


if __name__ == "__main__":
    import json

    print(json.dumps(main()))
