"""Regions: read by everyone; a region's profile edited by its representatives."""

from tests.access.table import Row, everyone, own_region_or_secretariat


def build(world) -> None:
    """The regions of the people (world.region, world.other_region) are enough."""


ROWS = [
    Row("regions:list", lambda w: "/regions/", everyone()),
    Row("regions:compare", lambda w: "/regions/compare/", everyone()),
    Row("regions:compare_csv", lambda w: "/regions/compare.csv", everyone()),
    Row("regions:detail", lambda w: f"/regions/{w.region.slug}/", everyone()),
    Row("regions:detail", lambda w: "/regions/no-such/", everyone(404), note="(unknown)"),
    Row("regions:edit", lambda w: f"/regions/{w.region.slug}/edit/", own_region_or_secretariat()),
    Row(
        "regions:edit",
        lambda w: f"/regions/{w.region.slug}/edit/",
        own_region_or_secretariat(),
        method="post",
        note="(empty form: shown again with errors)",
    ),
]
