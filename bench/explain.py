"""The plans behind a page: its queries, captured from one request, run again under
EXPLAIN (ANALYZE, BUFFERS), slowest first. Run after `make bench` (it uses the targets).

    python -m bench.explain review --top 2
"""

import argparse
import json

from bench import db
from bench.common import VAR
from bench.prepare import PAGES
from bench.queries import _request


def parse(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.explain")
    parser.add_argument("page", choices=[name for name, _ in PAGES])
    parser.add_argument("--database-url", default=db.database_url())
    parser.add_argument("--targets", default=str(VAR / "targets.json"))
    parser.add_argument("--entry", type=int, default=0, help="which of the page's targets")
    parser.add_argument("--top", type=int, default=3)
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse(argv)
    db.setup_django(args.database_url)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    entry = json.loads(open(args.targets).read())[args.page][args.entry]  # noqa: SIM115
    client = Client(HTTP_HOST="127.0.0.1")
    _request(client, entry)
    with CaptureQueriesContext(connection) as captured:
        response = _request(client, entry)
    print(f"{entry['method']} {entry['path']}: {response.status_code}, {len(captured)} queries")
    plans = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                print(f"  (not explained) {float(query['time']) * 1000:6.1f} ms  {sql[:100]}")
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            lines = [row[0] for row in cursor.fetchall()]
            total = float(lines[-1].split(":")[1].split()[0])
            plans.append((total, sql, lines))
    plans.sort(key=lambda plan: plan[0], reverse=True)
    for total, sql, _ in plans:
        print(f"  {total:8.2f} ms  {sql[:110]}")
    for total, sql, lines in plans[: args.top]:
        print(f"\n--- {total:.2f} ms\n{sql}\n")
        print("\n".join(lines))


if __name__ == "__main__":
    main()
