"""Settings for the worker and sweep processes the integration tests start.

The project's settings, with the waits shrunk so that a lost message comes back, and a retry
runs, within seconds instead of an hour. Everything else (database, broker, mail backend and
folder) comes from the environment the test passes, exactly as in production.
"""

import os

from alliance.settings import *  # noqa: F403

# One queue per test: a message never reaches another test's worker.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("TEST_CELERY_QUEUE", "celery")
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A message a killed worker held comes back after 6 s (production: an hour)...
    "visibility_timeout": 6,
    # ...and the survivors look for such messages every second.
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
# Still shorter than the visibility timeout, as the app requires.
CELERY_TASK_TIME_LIMIT = 5
CELERY_TASK_SOFT_TIME_LIMIT = 4
REMINDER_RETRY_BASE_SECONDS = 1
# The test reads back what the file-based mail backend writes here.
EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]
