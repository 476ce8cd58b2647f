"""The sessions app's URL expectations: the notes' and the ratings' pages together."""

import contextlib
import importlib

_MODULES = []
for _name in ("url_expectations_notes", "url_expectations_ratings"):
    with contextlib.suppress(ModuleNotFoundError):
        _MODULES.append(importlib.import_module(f"tests.sessions_log.{_name}"))

EXPECTED = {name: row for module in _MODULES for name, row in module.EXPECTED.items()}
EXPECTED_POST = {
    name: row for module in _MODULES for name, row in getattr(module, "EXPECTED_POST", {}).items()
}


def url_kwargs(world, therapist) -> dict:
    values = {}
    for module in _MODULES:
        values.update(module.url_kwargs(world, therapist))
    return values
