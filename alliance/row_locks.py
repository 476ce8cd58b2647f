"""Which transaction holds a row an instance was read with, locked (SELECT ... FOR UPDATE).

A reader that locks a record's row marks the instance; a save that builds on the instance,
instead of reading it again, first asks whether that lock is held by the transaction still
open. An instance read in a transaction that has ended (its lock gone) never passes.
"""

from django.db import DEFAULT_DB_ALIAS, connections

_MARK = "_alliance_locked_in"


def _outermost(using: str):
    connection = connections[using]
    # The outermost atomic block is the transaction: savepoints come and go within it.
    return connection.atomic_blocks[0] if connection.in_atomic_block else None


def mark_locked(instance, using: str = DEFAULT_DB_ALIAS) -> None:
    """Say that `instance` was read with its row locked in the transaction now open."""
    transaction = _outermost(using)
    if transaction is None:
        raise ValueError("A row is locked only inside a transaction.")
    setattr(instance, _MARK, transaction)


def locked_here(instance, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether `instance` was read locked in the transaction that is still open."""
    transaction = _outermost(using)
    return transaction is not None and getattr(instance, _MARK, None) is transaction
