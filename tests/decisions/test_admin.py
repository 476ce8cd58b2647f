"""The operators' admin lists decision talks and never deletes them."""

from django.urls import reverse

from tests.factories import force_login_verified


def test_the_admin_lists_talks_but_cannot_delete_them(client, operator, decided):
    force_login_verified(client, operator)
    assert client.get(reverse("admin:decisions_decisiontalk_changelist")).status_code == 200
    delete = reverse("admin:decisions_decisiontalk_delete", args=[decided.pk])
    assert client.get(delete).status_code == 403
    delete = reverse("admin:decisions_decision_delete", args=[decided.decision.pk])
    assert client.get(delete).status_code == 403
