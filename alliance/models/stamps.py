from django.conf import settings
from django.db import models


class CaseloadStamp(models.Model):
    """A number that grows whenever anything on a therapist's caseload is written.

    Database triggers (alliance.caseload_triggers) move it, in the writer's own transaction,
    on every table a caseload page reads, so it moves for every write path: forms, the
    admin, bulk updates and the reminder sweep's SQL alike. Pages that keep a rendered copy
    (alliance.page_cache) put the numbers of the caseloads they show in the copy's key.
    """

    therapist = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="caseload_stamp",
    )
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"caseload of user {self.therapist_id}: version {self.version}"
