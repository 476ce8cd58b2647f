"""The app's own settings, plus the floor page and the benchmark's Celery queue.

Everything the app does is unchanged: the same middleware, templates, database settings and
static storage. Only the URLconf gains one page (bench.urls) and the templates one folder.
"""

import copy
import os

from alliance.settings import *  # noqa: F403
from alliance.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.urls"

TEMPLATES = copy.deepcopy(TEMPLATES)
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]

# The benchmark's tasks go to a queue of their own, on a Redis database of its own, so that
# nothing it queues reaches anyone else's worker.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("BENCH_CELERY_QUEUE", "alliance-bench")

# What-if switch for `python -m bench.reminders --db-reuse-max N` (off by default, so the app is
# measured as configured): Celery's Django fixup closes the database connection after every
# task unless CELERY_DB_REUSE_MAX is set.
if os.environ.get("BENCH_CELERY_DB_REUSE_MAX"):
    CELERY_DB_REUSE_MAX = int(os.environ["BENCH_CELERY_DB_REUSE_MAX"])
