"""Clinical records are never hard-deleted: not through the Django admin, not by any view.

The code guard reads every module of the four apps for calls to .delete() and raw DELETE
statements; each allowed one is listed with why it is fine.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
APPS = ["alliance", "goals", "decisions", "sessions_log"]
ALLOWED_DELETES = {
    # A draft note's goal links are replaced as a whole on each save; once signed, the
    # signed copy is what lasts and the links can no longer change.
    ("sessions_log/services/notes.py", "session.goal_work.all().delete"),
    # Two-step login devices, not records: a replaced phone's app, spent recovery codes.
    (
        "alliance/two_factor.py",
        "TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete",
    ),
    ("alliance/two_factor.py", "device.token_set.all().delete"),
}


def clinical_admins():
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in APPS:
            yield model, model_admin


@pytest.mark.parametrize("model", [m for m, _ in clinical_admins()], ids=lambda m: m.__name__)
def test_the_admin_cannot_delete_it(model, operator):
    request = RequestFactory().get("/admin/")
    request.user = operator
    model_admin = admin.site._registry[model]
    assert not model_admin.has_delete_permission(request)
    assert not model_admin.has_delete_permission(request, model._base_manager.first())
    assert "delete_selected" not in model_admin.get_actions(request)


def test_every_clinical_model_with_an_admin_is_covered():
    registered = {m for m, _ in clinical_admins()}
    for label in ["Patient", "Alliance"]:
        assert apps.get_model("alliance", label) in registered


def test_the_admin_is_for_superusers_only(client, therapist):
    therapist.is_staff = True
    therapist.save()
    client.force_login(therapist)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def _source_files():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def test_no_code_deletes_records_except_the_listed_cases():
    found = set()
    for path in _source_files():
        tree = ast.parse(path.read_text())
        relative = str(path.relative_to(ROOT))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("delete", "_raw_delete")
            ):
                found.add((relative, ast.unparse(node.func)))
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert "DELETE FROM" not in node.value.upper(), f"raw DELETE in {relative}"
    assert found == ALLOWED_DELETES
