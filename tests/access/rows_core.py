from notifications.services import notifications_sweep
from tests.access.table import LOGIN, Row, everyone, signed_in

BAD_TOKEN = "/accounts/reset/MQ/not-a-token/"


def build(world) -> None:
    """The core pages need nothing beyond the people, and /healthz a sweep just run."""
    notifications_sweep()


def healthz(world) -> str:
    """/healthz, asked just after a sweep, as a running beat keeps it: the page checks
    take minutes, and /healthz says 503 three minutes after the last sweep."""
    notifications_sweep()
    return "/healthz"


ROWS = [
    Row("home", lambda w: "/", everyone()),
    Row("healthz", healthz, everyone()),
    Row("privacy", lambda w: "/privacy/", everyone()),
    Row("favicon", lambda w: "/favicon.ico", everyone(302)),
    Row("profile", lambda w: "/accounts/profile/", signed_in()),
    Row(
        "account_export",
        lambda w: "/accounts/profile/data.json",
        signed_in(),
        note="(one's own data only)",
    ),
    Row("account_close", lambda w: "/accounts/profile/close/", signed_in()),
    Row(
        "account_close",
        lambda w: "/accounts/profile/close/",
        {**everyone(200), "anonymous": LOGIN},
        method="post",
        note="(no password: the form again, nothing closed)",
    ),
    Row(
        "account_closed",
        lambda w: "/accounts/closed/",
        everyone(302),
        note="(only right after closing: else sent home)",
    ),
    Row(
        "login",
        lambda w: "/accounts/login/",
        {**everyone(302), "anonymous": 200},
        note="(signed-in people are sent on)",
    ),
    Row("logout", lambda w: "/accounts/logout/", everyone(405), note="(POST only)"),
    Row("password_change", lambda w: "/accounts/password_change/", signed_in()),
    Row("password_change_done", lambda w: "/accounts/password_change/done/", signed_in()),
    Row("password_reset", lambda w: "/accounts/password_reset/", everyone()),
    Row("password_reset_done", lambda w: "/accounts/password_reset/done/", everyone()),
    Row("password_reset_confirm", lambda w: BAD_TOKEN, everyone(), note="(bad token)"),
    Row("password_reset_complete", lambda w: "/accounts/reset/done/", everyone()),
]
