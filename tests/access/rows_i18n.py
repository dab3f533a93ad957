from tests.access.table import Row, everyone


def build(world) -> None:
    """The language menu needs nothing beyond the people."""


ROWS = [
    # The language menu posts; a GET changes nothing.
    Row("set_language", lambda w: "/i18n/setlang/", everyone(405), note="(POST only)"),
    Row(
        "set_language",
        lambda w: "/i18n/setlang/",
        everyone(302),
        method="post",
        note="(back to the page)",
    ),
]
