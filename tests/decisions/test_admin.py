"""The operators' admin lists decision talks and never deletes them."""

import pytest
from django.urls import reverse

from alliance.models import User
from tests.factories import force_login_verified


@pytest.fixture
def operator(db):
    return User.objects.create_superuser(
        "ops@example.org", "an operator passphrase", full_name="Ops"
    )


def test_the_admin_lists_talks_but_cannot_delete_them(client, operator, decided):
    force_login_verified(client, operator)
    assert client.get(reverse("admin:decisions_decisiontalk_changelist")).status_code == 200
    delete = reverse("admin:decisions_decisiontalk_delete", args=[decided.pk])
    assert client.get(delete).status_code == 403
    delete = reverse("admin:decisions_decision_delete", args=[decided.decision.pk])
    assert client.get(delete).status_code == 403
