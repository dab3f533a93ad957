"""Reads that span regions and practices: the compare view and its CSV."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q

from practices.models import THEMES, TRANSITIONS
from regions.models import Indicator, Region

ASA_TARGET_PERCENT = Decimal(5)  # of the automotive workforce up- or reskilled a year

# (key, label) of the matrix columns: Practice.theme_<key> / transition_<key>.
COLUMNS = [("theme", key, label) for key, label in THEMES.items()] + [
    ("transition", key, label) for key, label in TRANSITIONS.items()
]


def _published(prefix: str = "practices__") -> Q:
    return Q(**{f"{prefix}published_at__isnull": False}) & ~Q(**{f"{prefix}status": "archived"})


def practice_matrix():
    """Regions with `total` and one count per theme and transition of published practices.

    One query, whatever the number of regions or practices.
    """
    counts = {"total": Count("practices", filter=_published())}
    for group, key, _ in COLUMNS:
        counts[f"{group}_{key}"] = Count(
            "practices", filter=_published() & Q(**{f"practices__{group}_{key}": True})
        )
    return Region.objects.annotate(**counts).order_by("name")


@dataclass
class IndicatorTable:
    kind: str
    label: str
    years: list[int]
    rows: list[dict] = field(default_factory=list)  # region, cells (by year), unit, sources


def indicator_tables(indicators) -> list[IndicatorTable]:
    """Figures side by side per year: one table per kind, one row per region."""
    by_kind: dict[str, dict[int, dict]] = {}
    for indicator in indicators:
        rows = by_kind.setdefault(indicator.kind, {})
        row = rows.setdefault(
            indicator.region_id,
            {"region": indicator.region, "cells": {}, "unit": indicator.unit, "sources": []},
        )
        row["cells"][indicator.year] = indicator.value
        if indicator.source not in row["sources"]:
            row["sources"].append(indicator.source)
    tables = []
    for kind, label in Indicator.Kind.choices:
        if kind not in by_kind:
            continue
        rows = sorted(by_kind[kind].values(), key=lambda row: row["region"].name)
        years = sorted({year for row in rows for year in row["cells"]})
        for row in rows:
            row["values"] = [row["cells"].get(year) for year in years]
        tables.append(IndicatorTable(kind, label, years, rows))
    return tables


def upskilled_shares(indicators) -> list[dict]:
    """Per region, the share of the automotive workforce up- or reskilled in the latest year
    that has both figures, against the ASA target."""
    values: dict[tuple[int, int], dict[str, Decimal]] = {}
    regions = {}
    for indicator in indicators:
        if indicator.kind in (Indicator.Kind.EMPLOYMENT, Indicator.Kind.UPSKILLED):
            values.setdefault((indicator.region_id, indicator.year), {})[indicator.kind] = (
                indicator.value
            )
            regions[indicator.region_id] = indicator.region
    latest: dict[int, dict] = {}
    for (region_id, year), kinds in values.items():
        employed, upskilled = kinds.get("employment"), kinds.get("upskilled")
        if not employed or upskilled is None:
            continue
        if region_id not in latest or latest[region_id]["year"] < year:
            share = (upskilled / employed * 100).quantize(Decimal("0.1"))
            latest[region_id] = {
                "region": regions[region_id],
                "year": year,
                "employed": employed,
                "upskilled": upskilled,
                "share": share,
                "meets_target": share >= ASA_TARGET_PERCENT,
            }
    return sorted(latest.values(), key=lambda row: row["region"].name)


def all_indicators():
    return Indicator.objects.select_related("region").order_by("region__name", "kind", "year")


@dataclass
class BarChart:
    """A horizontal bar chart drawn as SVG by regions/_bar_chart.html (no JavaScript)."""

    id: str
    title: str
    desc: str
    bars: list[dict]
    width: int
    height: int
    target_x: float | None = None
    target_label: str = ""


LABEL_WIDTH, BAR_AREA, ROW, TOP = 200, 420, 26, 30


def bar_chart(
    chart_id: str,
    title: str,
    desc: str,
    items: list[tuple[str, float, str]],
    target: float | None = None,
    target_label: str = "",
) -> BarChart:
    """`items`: (label, value, shown value). Scaled to the largest value (or the target)."""
    top = max([value for _, value, _ in items] + [target or 0, 1])
    scale = BAR_AREA / (float(top) * 1.1)
    bars = []
    for index, (label, value, shown) in enumerate(items):
        y = TOP + index * ROW
        bars.append(
            {
                "label": label,
                "shown": shown,
                "y": y,
                "text_y": y + 15,
                "width": max(round(float(value) * scale, 1), 1 if value else 0),
                "value_x": LABEL_WIDTH + round(float(value) * scale, 1) + 6,
                "below": target is not None and value < target,
            }
        )
    height = TOP + len(items) * ROW + 10
    return BarChart(
        id=chart_id,
        title=title,
        desc=desc,
        bars=bars,
        width=LABEL_WIDTH + BAR_AREA + 70,
        height=height,
        target_x=LABEL_WIDTH + round(float(target) * scale, 1) if target is not None else None,
        target_label=target_label,
    )
