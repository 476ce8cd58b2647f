"""Queries per page at this data size, against the limits the test suite asserts; and each
page's time when it is alone on the machine (in process, no load), for the slow queries.

    python -m bench.queries --targets var/bench/targets.json
"""

import argparse
import json
import statistics
import time

from bench import db

# The most queries the tests allow each page (tests/...: django_assert_max_num_queries).
TEST_LIMITS = {
    "caseload": ("tests/alliance/test_caseload.py", 12),
    "patient": ("tests/sessions_log/test_note_pages.py, tests/goals/test_views.py", 10),
    "review": ("tests/alliance/test_review.py", 6),
    "portal": ("tests/alliance/test_portal.py", 8),
}
SAMPLES = 5


def parse(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.queries")
    parser.add_argument("--database-url", default=db.database_url())
    parser.add_argument("--targets", default="var/bench/targets.json")
    parser.add_argument("--samples", type=int, default=SAMPLES)
    return parser.parse_args(argv)


def _request(client, entry: dict):
    client.cookies.clear()
    for part in entry["cookie"].split("; "):
        name, _, value = part.partition("=")
        client.cookies[name] = value
    if entry["method"] == "GET":
        return client.get(entry["path"])
    body = entry["body"] + str(entry["revision"])
    response = client.post(entry["path"], body, content_type="application/x-www-form-urlencoded")
    if response.status_code == 200:
        entry["revision"] = response.json()["revision"]
    return response


def measure(targets: dict, samples: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    results = {}
    for page, entries in targets.items():
        entries = entries[: max(samples, 1)]
        _request(client, entries[0])  # warm: templates compiled, connection open
        counts, times, statuses, slowest = [], [], set(), (0.0, "")
        for entry in entries:
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = _request(client, entry)
                elapsed = (time.perf_counter() - started) * 1000
            statuses.add(response.status_code)
            counts.append(len(queries))
            times.append(elapsed)
            for query in queries.captured_queries:
                if float(query["time"]) * 1000 > slowest[0]:
                    slowest = (float(query["time"]) * 1000, query["sql"][:300])
        limit = TEST_LIMITS.get(page)
        results[page] = {
            "queries": max(counts),
            "test_limit": limit[1] if limit else None,
            "within_limit": None if limit is None else max(counts) <= limit[1],
            "solo_ms": round(statistics.median(times), 1),
            "statuses": sorted(statuses),
            "slowest_query_ms": round(slowest[0], 1),
            "slowest_query": slowest[1],
        }
    return results


def main(argv=None) -> dict:
    args = parse(argv)
    db.setup_django(args.database_url)
    with open(args.targets) as handle:
        targets = json.load(handle)
    results = measure(targets, args.samples)
    for page, row in results.items():
        limit = f"(tests allow {row['test_limit']})" if row["test_limit"] else ""
        print(
            f"queries: {page:10} {row['queries']:>3} queries {limit:18} solo {row['solo_ms']:>7} ms"
            f"  status {row['statuses']}  slowest query {row['slowest_query_ms']} ms",
            flush=True,
        )
    return results


if __name__ == "__main__":
    print(json.dumps(main()))
