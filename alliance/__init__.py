# The Celery app is loaded with Django so that `delay_on_commit` uses the project's settings.
from alliance.celery import app as celery_app

__all__ = ["celery_app"]
