"""The operators' admin lists decision talks and never deletes them."""

import pytest
from django.urls import reverse

from alliance.models import User


@pytest.fixture
def operator(db):
    return User.objects.create_superuser(
        "ops@example.org", "an operator passphrase", full_name="Ops"
    )


def test_the_admin_lists_talks_but_cannot_delete_them(client, operator, decided):
    client.force_login(operator)
    assert client.get(reverse("admin:decisions_decisiontalk_changelist")).status_code == 200
    delete = reverse("admin:decisions_decisiontalk_delete", args=[decided.pk])
    assert client.get(delete).status_code == 403
    delete = reverse("admin:decisions_decision_delete", args=[decided.decision.pk])
    assert client.get(delete).status_code == 403
