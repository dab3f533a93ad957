"""The shape of the access table: one Row per URL, one expected answer per person.

Each app keeps its rows in tests/access/rows_<app>.py, with a build(world) that adds the
objects its URLs need. test_access.py walks every URL of the site and fails for any URL
that has no row, so that a new page cannot arrive without a decision on who may see it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

PEOPLE = ["anonymous", "member", "representative", "other_representative", "secretariat"]

# An expected answer is an HTTP status, or LOGIN: a redirect to the sign-in page.
LOGIN = "login"


@dataclass(frozen=True)
class Row:
    url_name: str
    path: Callable[[SimpleNamespace], str]
    expect: dict[str, int | str] = field(repr=False)
    method: str = "get"
    note: str = ""

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.url_name}{' ' + self.note if self.note else ''}"


def everyone(status: int = 200) -> dict[str, int | str]:
    return dict.fromkeys(PEOPLE, status)


def signed_in(status: int = 200) -> dict[str, int | str]:
    """Any member may; anonymous visitors are sent to sign in."""
    return {**dict.fromkeys(PEOPLE, status), "anonymous": LOGIN}


def own_region_or_secretariat(status: int = 200) -> dict[str, int | str]:
    """The path's region is the representative's own (not the other representative's)."""
    return {
        "anonymous": LOGIN,
        "member": 403,
        "representative": status,
        "other_representative": 403,
        "secretariat": status,
    }


def representatives_or_secretariat(status: int = 200) -> dict[str, int | str]:
    return {**own_region_or_secretariat(status), "other_representative": status}


def secretariat_only(status: int = 200) -> dict[str, int | str]:
    return {**own_region_or_secretariat(status), "representative": 403}
