"""Indexes for the caseload review's per-alliance indicators (alliance.indicators): unsigned
notes and notes waiting for a co-signature are found by index, not by reading every session
of the alliance. Measured in BENCHMARKS.md."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("sessions_log", "0002_signed_notes_are_immutable")]

    operations = [
        migrations.AddIndex(
            model_name="session",
            index=models.Index(
                condition=models.Q(("signed_at__isnull", True)),
                fields=["alliance", "created_at"],
                name="session_unsigned_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="session",
            index=models.Index(
                condition=models.Q(("cosign_required", True), ("signed_at__isnull", False)),
                fields=["alliance"],
                name="session_cosign_idx",
            ),
        ),
    ]
