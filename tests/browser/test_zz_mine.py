import pytest
from tests.browser import test_every_page as t
from tests.browser.checkers import nu_errors

pytestmark = pytest.mark.django_db(transaction=True)
world = t.world


def test_mine(browser, live_server, world, tmp_path, monkeypatch):
    rows = {k: v for k, v in t.rows_by_url_name().items() if k == "meetings:registration"}
    monkeypatch.setattr(t, "rows_by_url_name", lambda: rows)
    findings = t.Findings()
    for person in ["anonymous", "member"]:
        context = t.browser_context_for(browser, live_server, world.people[person])
        t.check_rows(context, live_server, world, person, findings, tmp_path)
        context.close()
    print(findings.saved)
    nu = nu_errors(sorted(tmp_path.glob("*.html")))
    report = findings.report(nu)
    assert not report, report
