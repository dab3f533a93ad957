"""The catalogues in locale/ are complete: every interface string of the portal has a
real translation in each language, none fuzzy, and each .mo is its .po compiled.

The check runs Django's own makemessages, as a developer does, but into a copy of
locale/: the project's files are reached through symbolic links from a temporary folder,
so the committed catalogues stay untouched.
"""

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command

from tests.services import missing

LANGUAGES = [code for code, _ in settings.LANGUAGES if code != "en"]
LOCALE = Path(settings.BASE_DIR) / "locale"
# Not source: what a running portal or a test run leaves in the project folder.
NOT_SOURCE = {"locale", "var", "media", "staticfiles", "test-artifacts", "db.sqlite3"}


def require_gettext() -> None:
    for tool in ("xgettext", "msgmerge", "msgfmt"):
        if shutil.which(tool) is None:
            missing(f"GNU gettext ({tool}; apt-get install gettext)")


def problems_of(po_file: Path) -> list[str]:
    with po_file.open("rb") as handle:
        catalogue = read_po(handle)
    found = []
    for message in catalogue:
        if not message.id:
            continue
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        where = f"{message.context} | {msgid}" if message.context else msgid
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            found.append(f"fuzzy: {where!r}")
        elif not all(strings):
            found.append(f"untranslated: {where!r}")
    return found


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    """The catalogues as makemessages leaves them after reading today's sources."""
    require_gettext()
    root = tmp_path_factory.mktemp("project")
    for entry in Path(settings.BASE_DIR).iterdir():
        if entry.name not in NOT_SOURCE and not entry.name.startswith("."):
            (root / entry.name).symlink_to(entry)
    shutil.copytree(LOCALE, root / "locale")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        patch.setattr(settings, "LOCALE_PATHS", [root / "locale"])
        call_command(
            "makemessages",
            locale=LANGUAGES,
            symlinks=True,
            add_location="file",
            verbosity=0,
        )
    return root / "locale"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_interface_string_is_translated_in_the_catalogue(extracted, language):
    problems = problems_of(extracted / language / "LC_MESSAGES" / "django.po")
    assert not problems, (
        f"locale/{language}/LC_MESSAGES/django.po needs work (run makemessages, translate, "
        "then compilemessages):\n" + "\n".join(problems)
    )


def test_the_check_finds_a_string_that_no_catalogue_has_yet(extracted, tmp_path):
    po_file = tmp_path / "django.po"
    text = (extracted / "de" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    po_file.write_text(text + '\nmsgid "A brand new sentence"\nmsgstr ""\n', encoding="utf-8")
    assert problems_of(po_file) == ["untranslated: 'A brand new sentence'"]


def test_the_check_finds_a_fuzzy_translation(tmp_path):
    po_file = tmp_path / "django.po"
    po_file.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#, fuzzy\nmsgid "Next meetings"\nmsgstr "Nächste Treffen"\n',
        encoding="utf-8",
    )
    assert problems_of(po_file) == ["fuzzy: 'Next meetings'"]


def compiled(mo_file: Path) -> dict:
    with mo_file.open("rb") as handle:
        return gettext.GNUTranslations(handle)._catalog


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_mo_file_is_its_po_file_compiled(language, tmp_path):
    require_gettext()
    folder = LOCALE / language / "LC_MESSAGES"
    fresh = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check", "-o", str(fresh), str(folder / "django.po")],
        check=True,
        capture_output=True,
    )
    assert compiled(folder / "django.mo") == compiled(fresh), (
        f"locale/{language}/LC_MESSAGES/django.mo is out of date: run compilemessages."
    )
