"""Deleting and changing many rows a batch at a time: each batch is its own short
statement, so a first clean-up of a large database neither holds a lock for minutes nor
loads every row into memory."""

from collections.abc import Iterator

from django.db.models import QuerySet

BATCH_SIZE = 1000


def _batches(queryset: QuerySet, size: int) -> Iterator[list]:
    """The ids of `queryset`, `size` at a time, in order: always onwards from the last
    batch, so that it ends whatever the caller does with each."""
    last = None
    while True:
        rows = queryset if last is None else queryset.filter(pk__gt=last)
        ids = list(rows.order_by("pk").values_list("pk", flat=True)[:size])
        if not ids:
            return
        yield ids
        last = ids[-1]


def delete_in_batches(queryset: QuerySet, *, size: int = BATCH_SIZE) -> int:
    """Deletes the rows of `queryset` (with what cascades from them); returns how many of
    its own rows went."""
    label, deleted = queryset.model._meta.label, 0
    for ids in _batches(queryset, size):
        # Still the queryset's own: a row that changed since it was counted stays.
        _, per_model = queryset.filter(pk__in=ids).delete()
        deleted += per_model.get(label, 0)
    return deleted


def update_in_batches(queryset: QuerySet, *, size: int = BATCH_SIZE, **values) -> int:
    """Sets `values` on the rows of `queryset`; returns how many rows changed."""
    updated = 0
    for ids in _batches(queryset, size):
        updated += queryset.filter(pk__in=ids).update(**values)
    return updated
