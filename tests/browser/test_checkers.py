"""The page checks catch what they are there for: a check that quietly found nothing
(a script not run, output not read) would let every page pass."""

from tests.browser.checkers import axe_violations, nu_errors, require_java

VALID = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>A page</title></head>
<body><main><h1>A page</h1><img src="logo.png" alt="The logo"><p id="one">Text</p></main>
</body>
</html>
"""
# An image without a text alternative and an id used twice.
BROKEN = VALID.replace(' alt="The logo"', "").replace('id="one"', 'id="one"></p><p id="one"')


def shown(browser, html: str):
    page = browser.new_page()
    page.set_content(html)
    return page


def test_axe_core_reports_an_image_without_a_text_alternative(browser):
    page = shown(browser, BROKEN)
    assert any(line.startswith("image-alt ") for line in axe_violations(page))
    page.close()


def test_axe_core_finds_nothing_on_a_page_without_faults(browser):
    page = shown(browser, VALID)
    assert axe_violations(page) == []
    page.close()


def test_the_nu_html_checker_reports_each_fault_against_the_file_that_has_it(tmp_path):
    require_java()
    (tmp_path / "valid.html").write_text(VALID)
    (tmp_path / "broken.html").write_text(BROKEN)
    errors = nu_errors([tmp_path / "valid.html", tmp_path / "broken.html"])
    assert set(errors) == {"broken.html"}
    assert any("Duplicate ID" in error for error in errors["broken.html"])
    assert any("alt" in error for error in errors["broken.html"])
