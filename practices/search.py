"""Searching published practices: the same words find the same practices on any database.

Both databases search `Practice.search_text`, the practice's title, region, summary and
body normalised by practices.text.normalise (lower case, accents stripped), and the
search words go through the same function: "Kosice" and "goteborg" find Košice and
Göteborg. Every word must occur (as the start of a word on PostgreSQL, anywhere on
SQLite).

- PostgreSQL: full-text search with ranking (prefix queries, SearchRank) over
  `search_vector`, a stored tsvector served by the GIN index of migration 0005. The
  vector holds the text stemmed by the rules of the practice's language (Slovak, which
  PostgreSQL cannot stem, word for word) and word for word (see
  Practice.SEARCH_VECTOR). A word matches a practice when it matches there stemmed by
  the same language's rules, or as typed: "Ausbildungen" finds a German practice about
  "Ausbildung", and English rules never mangle a Slovak word.
- SQLite: icontains per word, newest first (no stemming).
"""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, Q, QuerySet, When

from practices.models import SEARCH_CONFIGS
from practices.text import search_words


def _tsquery(words: list[str], config: str) -> SearchQuery:
    """Every word, each as a prefix, stemmed by `config` or as typed."""
    query = None
    for word in words:
        # Words are [a-z0-9]+ after normalising, so the raw tsquery cannot be malformed.
        either = SearchQuery(f"{word}:*", config="simple", search_type="raw")
        if config != "simple":
            either |= SearchQuery(f"{word}:*", config=config, search_type="raw")
        query = either if query is None else query & either
    return query


def search_published(queryset: QuerySet, query: str) -> QuerySet:
    """`queryset` narrowed to the practices matching `query`, best first."""
    words = search_words(query)
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        # One branch per language: each tsquery is a constant, so the GIN index serves
        # every branch, and each practice is matched by its own language's rules only.
        queries = {code: _tsquery(words, config) for code, config in SEARCH_CONFIGS.items()}
        matches = Q()
        for code, tsquery in queries.items():
            matches |= Q(language=code, search_vector=tsquery)
        rank = Case(
            *(
                When(language=code, then=SearchRank(F("search_vector"), tsquery))
                for code, tsquery in queries.items()
            )
        )
        return (
            queryset.filter(matches).annotate(rank=rank).order_by("-rank", "-published_at", "pk")
        )
    for word in words:
        queryset = queryset.filter(search_text__contains=word)
    return queryset
