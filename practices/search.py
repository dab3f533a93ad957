"""Searching published practices: the same words find the same practices on any database.

Both databases search `Practice.search_text`, the practice's title, region, summary and
body normalised by practices.text.normalise (lower case, accents stripped), and the
search words go through the same function: "Kosice" and "goteborg" find Košice and
Göteborg. Every word must occur (as the start of a word on PostgreSQL, anywhere on
SQLite).

- PostgreSQL: full-text search with ranking (prefix queries, SearchRank) over
  `search_vector`, that column as a stored tsvector ('simple' configuration: the text
  is already normalised), served by the GIN index of migration 0005.
- SQLite: icontains per word, newest first.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, QuerySet

from practices.text import search_words


def search_published(queryset: QuerySet, query: str) -> QuerySet:
    """`queryset` narrowed to the practices matching `query`, best first."""
    words = search_words(query)
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        # Words are [a-z0-9]+ after normalising, so the raw tsquery cannot be malformed.
        tsquery = SearchQuery(
            " & ".join(f"{word}:*" for word in words), config="simple", search_type="raw"
        )
        return (
            queryset.filter(search_vector=tsquery)
            .annotate(rank=SearchRank(F("search_vector"), tsquery))
            .order_by("-rank", "-published_at", "pk")
        )
    for word in words:
        queryset = queryset.filter(search_text__contains=word)
    return queryset
