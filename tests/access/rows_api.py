"""The API and the embed page: public data, the same answer for everyone."""

from tests.access.table import Row, everyone


def build(world) -> None:
    """The other apps' rows build the objects these URLs show (rows_meetings: WG4, the
    meetings "public", "members-only", "draft"; rows_practices: "published-one",
    "draft-one"; the region "stuttgart")."""


ROWS = [
    Row("api:root", lambda w: "/api/v1/", everyone()),
    Row("api:meeting-list", lambda w: "/api/v1/meetings/", everyone()),
    Row(
        "api:meeting-list",
        lambda w: "/api/v1/meetings/?kind=nonsense",
        everyone(400),
        note="(unknown filter value)",
    ),
    Row("api:meeting-past", lambda w: "/api/v1/meetings/past/", everyone()),
    Row("api:meeting-detail", lambda w: "/api/v1/meetings/public/", everyone(), note="(public)"),
    # Members-only and draft meetings are not in the API, whoever asks: 404.
    Row(
        "api:meeting-detail",
        lambda w: "/api/v1/meetings/members-only/",
        everyone(404),
        note="(members only)",
    ),
    Row("api:meeting-detail", lambda w: "/api/v1/meetings/draft/", everyone(404), note="(draft)"),
    Row("api:group-list", lambda w: "/api/v1/groups/", everyone()),
    Row("api:group-detail", lambda w: "/api/v1/groups/WG4/", everyone()),
    Row("api:region-list", lambda w: "/api/v1/regions/", everyone()),
    Row("api:region-detail", lambda w: "/api/v1/regions/stuttgart/", everyone()),
    Row("api:practice-list", lambda w: "/api/v1/practices/?q=practice", everyone()),
    Row(
        "api:practice-detail",
        lambda w: "/api/v1/practices/published-one/",
        everyone(),
        note="(published)",
    ),
    Row(
        "api:practice-detail",
        lambda w: "/api/v1/practices/draft-one/",
        everyone(404),
        note="(draft)",
    ),
    Row("api:schema", lambda w: "/api/v1/schema/", everyone()),
    Row("api:docs", lambda w: "/api/v1/docs/", everyone()),
    Row("embed:events", lambda w: "/embed/events/", everyone()),
    Row("embed:theme", lambda w: "/embed/events/theme.css?accent=0b3a6e", everyone()),
]
