"""The apps' imports of each other, read from the source (imports inside functions count
too): a new pair of apps that import each other fails here.

Two apps importing each other cannot be understood, or changed, one at a time. The pairs
that exist today are listed with their reason; undoing one means deleting its line.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = [
    "accounts",
    "api",
    "asa_portal",
    "dashboard",
    "inbound",
    "meetings",
    "notifications",
    "practices",
    "privacy",
    "regions",
]

# Pairs that import each other today, each with why; to be undone where simple.
KNOWN_PAIRS = {
    ("accounts", "asa_portal"): "accounts use the project's validators and cache; the project's "
    "URLs, admin site and cache ask accounts who may do what",
    ("accounts", "regions"): "roles are region memberships; regions ask accounts' permissions",
    ("asa_portal", "meetings"): "the home page lists meetings; meetings use the project's "
    "validators, forms and cache",
    ("asa_portal", "practices"): "the home page lists practices; practices use the project's "
    "validators, forms and cache",
    ("meetings", "practices"): "agenda items showcase practices; a practice lists its meetings",
    ("meetings", "regions"): "a meeting's host region; a region's page lists its meetings",
    ("practices", "regions"): "a practice belongs to a region; a region's page lists its "
    "practices",
}


def imported_apps(app: str) -> set[str]:
    """The other apps that the app's modules import, migrations left out."""
    found = set()
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            found |= {name.split(".")[0] for name in names} & set(APPS) - {app}
    return found


def pairs_importing_each_other() -> set[tuple[str, str]]:
    imports = {app: imported_apps(app) for app in APPS}
    return {
        (first, second)
        for first in APPS
        for second in imports[first]
        if first < second and first in imports[second]
    }


def test_no_new_pair_of_apps_imports_each_other():
    new = pairs_importing_each_other() - set(KNOWN_PAIRS)
    assert not new, f"These apps now import each other: {sorted(new)}"


def test_a_pair_that_no_longer_imports_each_other_leaves_the_list():
    undone = set(KNOWN_PAIRS) - pairs_importing_each_other()
    assert not undone, f"Remove from KNOWN_PAIRS, they no longer import each other: {undone}"


def test_the_reading_sees_an_import_inside_a_function(tmp_path, monkeypatch):
    app = tmp_path / "accounts"
    app.mkdir()
    (app / "models.py").write_text("def f():\n    from meetings.models import Meeting\n")
    (app / "migrations").mkdir()
    (app / "migrations" / "0001.py").write_text("import regions\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert imported_apps("accounts") == {"meetings"}


def test_the_outbox_imports_none_of_the_apps_whose_emails_it_sends():
    assert imported_apps("notifications") & {"meetings", "practices", "inbound"} == set()


def test_no_app_imports_inbound():
    assert [app for app in APPS if "inbound" in imported_apps(app)] == []
