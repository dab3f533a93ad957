"""A person's own page and the agenda as PDF."""

from tests.access.rows_meetings import secretariat_preview
from tests.access.table import LOGIN, Row, everyone, signed_in


def build(world) -> None:
    """The meetings' rows build the public, members-only and draft meetings used here."""


ROWS = [
    Row("me", lambda w: "/me/", signed_in()),
    Row(
        "me",
        lambda w: "/me/",
        {**everyone(302), "anonymous": LOGIN},
        method="post",
        note="(answer, no data: sent back with a message)",
    ),
    Row(
        "meetings:agenda_pdf", lambda w: "/meetings/public/agenda.pdf", everyone(), note="(public)"
    ),
    Row(
        "meetings:agenda_pdf",
        lambda w: "/meetings/members-only/agenda.pdf",
        signed_in(),
        note="(members only)",
    ),
    Row(
        "meetings:agenda_pdf",
        lambda w: "/meetings/draft/agenda.pdf",
        secretariat_preview(),
        note="(draft)",
    ),
    Row(
        "meetings:agenda_pdf",
        lambda w: "/meetings/nothing/agenda.pdf",
        everyone(404),
        note="(unknown)",
    ),
]
