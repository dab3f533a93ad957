"""Benchmarks on PostgreSQL: practice search over 10,000 practices, and the compare view
with 50 regions, each against a baseline measured in the same run.

    .venv/bin/python bench/practice_search.py

Creates the database asa_bench_practices, fills it, measures, and drops it again.
"""

import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg

SERVER = "postgres://postgres@127.0.0.1:5432"
DATABASE = "asa_bench_practices"
os.environ["DATABASE_URL"] = f"{SERVER}/{DATABASE}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asa_portal.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PRACTICES, REGIONS, RUNS = 10_000, 50, 30
QUERIES = ["kosice", "battery", "electromobility training", "Göteborg", "digital skills",
           "hydrogen suppliers"]  # fmt: skip
WORDS_TEXT = (
    "training reskilling upskilling battery electric drivetrain software digital green "
    "hydrogen suppliers apprenticeship dual education employment workers technicians "
    "mechatronics robotics safety high-voltage courses cluster university vocational "
    "schools employers unions transformation electromobility charging recycling"
)
WORDS = WORDS_TEXT.split()
NAMES = ["Göteborg", "Košice", "Stuttgart", "EDUCAM", "Piemonte", "Castilla y León",
         "Hauts-de-France", "Moravian-Silesian Region"]  # fmt: skip


def admin_sql(sql: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def median_ms(function, runs: int = RUNS) -> float:
    function()  # warm up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def fill() -> None:
    from practices.models import SEARCH_VECTOR, Practice
    from regions.models import Indicator, Region

    rng = random.Random(4)
    regions = Region.objects.bulk_create(
        Region(
            name=NAMES[i] if i < len(NAMES) else f"Region {i}",
            slug=f"region-{i}",
            country=rng.choice(["DE", "SK", "SE", "BE", "IT", "ES", "FR", "CZ"]),
        )
        for i in range(REGIONS)
    )
    start = datetime(2021, 1, 1, tzinfo=UTC)
    practices = []
    for i in range(PRACTICES):
        region = regions[i % REGIONS]
        practice = Practice(
            title=" ".join(rng.sample(WORDS, 4)).capitalize(),
            slug=f"practice-{i}",
            region=region,
            summary=" ".join(rng.choices(WORDS, k=25)),
            body=" ".join(rng.choices(WORDS, k=300)),
            theme_skills=rng.random() < 0.6,
            theme_education=rng.random() < 0.4,
            theme_employment=rng.random() < 0.3,
            transition_green=rng.random() < 0.5,
            transition_digital=rng.random() < 0.5,
            status="published",
            published_at=start + timedelta(hours=i * 3),
        )
        practice.search_text = practice.build_search_text(region.name)
        practices.append(practice)
    Practice.objects.bulk_create(practices, batch_size=1000)
    Practice.objects.update(search_vector=SEARCH_VECTOR)  # what save() does one by one
    Indicator.objects.bulk_create(
        Indicator(region=region, year=year, kind=kind, value=value, unit="people", source="Bench")
        for region in regions
        for year in range(2021, 2025)
        for kind, value in (("employment", 20000), ("upskilled", rng.randint(200, 1500)))
    )


def bench_search() -> None:
    from django.db import connection

    from practices.models import Practice
    from practices.search import search_published

    published = Practice.objects.published().select_related("region")

    def page(queryset):
        return lambda: (queryset.count(), list(queryset[:20]))

    baseline = median_ms(page(published.order_by("-published_at")))
    print(
        f"Search over {PRACTICES} practices on PostgreSQL (median of {RUNS}; count + page of 20)"
    )
    print(f"  baseline, the same page without search: {baseline:7.2f} ms")
    results = []
    for query in QUERIES:
        searched = search_published(published, query)
        ms = median_ms(page(searched))
        results.append(ms)
        print(f"  q={query!r:28} {searched.count():5} hits {ms:7.2f} ms  ×{ms / baseline:.1f}")
    overall = statistics.median(results)
    print(
        f"  search median over the queries:         {overall:7.2f} ms  ×{overall / baseline:.1f}"
    )
    with connection.cursor() as cursor:
        sql, params = search_published(published, "battery")[:20].query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        uses_index = any("practice_search_vector_gin" in row[0] for row in cursor.fetchall())
    print(f"  the GIN index is used: {uses_index}")


def bench_compare() -> None:
    from django.test import Client

    from asa_portal.cache import invalidate_public_pages

    client = Client()
    for path in ("/", "/regions/compare/"):
        assert client.get(path).status_code == 200, path

    def rendered(path: str):
        # Measures the page as built, not the copy the public page cache would serve.
        invalidate_public_pages()
        return client.get(path)

    home = median_ms(lambda: rendered("/"))
    compare = median_ms(lambda: rendered("/regions/compare/"))
    cached = median_ms(lambda: client.get("/regions/compare/"))
    print(f"Compare view with {REGIONS} regions and {PRACTICES} practices (median of {RUNS})")
    print(f"  home page baseline (rendered):  {home:7.2f} ms")
    print(f"  /regions/compare/ (rendered):   {compare:7.2f} ms  ×{compare / home:.1f}")
    print(f"  /regions/compare/ (from cache): {cached:7.2f} ms  ×{cached / home:.2f}")


def main() -> None:
    admin_sql(f"DROP DATABASE IF EXISTS {DATABASE}")
    admin_sql(f"CREATE DATABASE {DATABASE}")
    try:
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        fill()
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        bench_search()
        bench_compare()
    finally:
        from django.db import connections

        connections.close_all()
        admin_sql(f"DROP DATABASE IF EXISTS {DATABASE}")


if __name__ == "__main__":
    main()
