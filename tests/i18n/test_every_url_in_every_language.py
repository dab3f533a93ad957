"""Every URL of the access table, in each language, as each person: the answer the table
expects (so never a 500). Visitors choose the language with the menu's cookie, signed-in
people through their profile."""

import pytest
from django.conf import settings

from tests.access import test_access
from tests.access.table import LOGIN, PEOPLE

# The access test's world: the people of tests/conftest.py and each app's objects.
world = test_access.world

LANGUAGES = [code for code, _ in settings.LANGUAGES if code != "en"]


def is_page(response) -> bool:
    """A whole HTML page (not a fragment, a file or an empty answer)."""
    return (
        response.get("Content-Type", "").startswith("text/html")
        and b"<html" in (response.content[:300])
    )


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("language", LANGUAGES)
def test_each_url_answers_as_the_table_says_in_each_language(language, person, world, client_for):
    user = world.people[person]
    # Pages reached by a person's link in an email (/rsvp/, reminders off) speak that
    # person's language, whoever opens them: everyone of the world reads this language.
    for someone in world.people.values():
        if someone is not None:
            someone.language = language
            someone.save(update_fields=["language"])
    wrong = []
    for row in test_access.ROWS:
        if user is not None:
            user.refresh_from_db()  # a row before may have changed them (the menu's post)
            user.language = language
            user.save(update_fields=["language"])
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = getattr(client, row.method)(row.path(world))
        expected = row.expect[person]
        if expected == LOGIN:
            ok = response.status_code == 302 and response["Location"].startswith(
                "/accounts/login/?next="
            )
        else:
            ok = response.status_code == expected
        if not ok:
            wrong.append(f"{row} ({row.path(world)}): {response.status_code}, expected {expected}")
        elif is_page(response) and f'<html lang="{language}"'.encode() not in response.content:
            wrong.append(f"{row}: <html lang> is not {language}")
    assert not wrong, f"As {person} in {language}:\n" + "\n".join(wrong)
