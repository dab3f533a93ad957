"""Every email the portal sends looks the same: a text and an HTML part, the greeting by
name, the secretariat's signature, and a footer that says why the reader gets it and
where to change that (their profile), in the reader's language. Hostile titles, names
and messages stay text: the HTML is parsed as a mail program's browser would."""

import html5lib
import pytest

from notifications.messages import Composer
from notifications.models import Notification
from tests.factories.accounts import UserFactory
from tests.factories.meetings import MeetingFactory
from tests.factories.practices import PracticeFactory

pytestmark = pytest.mark.django_db

HOSTILE_TITLE = 'WG4 <script>alert("title")</script> & "friends"'
HOSTILE_NAME = '<img src=x onerror=alert("name")>Marta'
HOSTILE_TEXT = "See <iframe src=https://evil.example></iframe> the slides"
PROFILE = "https://portal.example.org/accounts/profile/"
PRIVACY = "https://portal.example.org/privacy/"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://portal.example.org"


@pytest.fixture
def person(db):
    return UserFactory(email="marta@example.org", first_name=HOSTILE_NAME, language="en")


def meeting_row(person, kind, **fields):
    meeting = MeetingFactory(title=HOSTILE_TITLE)
    return Notification.objects.create(meeting=meeting, person=person, kind=kind, **fields)


def every_kind(person, region):
    practice = PracticeFactory(region=region, title=HOSTILE_TITLE, review_comment=HOSTILE_TEXT)
    return {
        "invitation": meeting_row(person, "invitation"),
        "reminder": meeting_row(person, "reminder", revision=24),
        "update": meeting_row(
            person, "update", revision=1, details={"changes": [["start", "9:00", "10:00"]]}
        ),
        "cancellation": meeting_row(person, "cancellation", revision=1),
        "message": meeting_row(
            person, "message", revision=1, details={"subject": "Slides", "body": HOSTILE_TEXT}
        ),
        "published": Notification.objects.create(
            practice=practice, person=person, kind="practice_review",
            details={"decision": "published"},
        ),
        "returned": Notification.objects.create(
            practice=practice, person=person, kind="practice_review", revision=1,
            details={"decision": "returned"},
        ),
        "reply": meeting_row(person, "reply", details={"waitlisted": True}),
    }  # fmt: skip


def parts(row):
    message = Composer(check=False).build(row)
    (html,) = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    return message.body, html


def parsed(html: str):
    return html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)


def text_of(document) -> str:
    return " ".join("".join(document.find("body").itertext()).split())


@pytest.mark.parametrize(
    "kind",
    [
        "invitation",
        "reminder",
        "update",
        "cancellation",
        "message",
        "published",
        "returned",
        "reply",
    ],
)
def test_every_email_has_both_parts_with_greeting_signature_and_why(kind, person, region):
    text, html = parts(every_kind(person, region)[kind])
    assert text.startswith(f"Hello {HOSTILE_NAME},\n")
    assert "\n-- \nThe ASA secretariat\nYou get " in text
    document = parsed(html)
    shown = text_of(document)
    assert f"Hello {HOSTILE_NAME}," in shown
    assert "The ASA secretariat" in shown
    footer = document.find(".//p[@class='footer']")
    assert "".join(footer.itertext()).startswith("You get ")
    assert [a.get("href") for a in footer.iter("a")][-2:] == [PROFILE, PRIVACY]


@pytest.mark.parametrize("kind", ["invitation", "reminder", "published", "reply"])
def test_every_emails_footer_leads_to_the_privacy_page(kind, person, region):
    text, html = parts(every_kind(person, region)[kind])
    footer_text = text.split("\n-- \n")[1]
    assert f"\nWhat the portal keeps about you, and for how long: {PRIVACY}\n" in footer_text
    footer = parsed(html).find(".//p[@class='footer']")
    (link,) = [a for a in footer.iter("a") if a.get("href") == PRIVACY]
    assert link.text == "What the portal keeps about you, and for how long"


@pytest.mark.parametrize("kind", ["invitation", "message", "returned", "reply"])
def test_hostile_titles_names_and_texts_stay_text_in_the_html(kind, person, region):
    _, html = parts(every_kind(person, region)[kind])
    document = parsed(html)
    body = document.find("body")
    assert [
        element.tag for element in body.iter() if element.tag in {"script", "img", "iframe"}
    ] == []
    assert [
        name for element in body.iter() for name in element.attrib if name.startswith("on")
    ] == []
    assert HOSTILE_NAME in text_of(document)


def test_a_secretariat_message_keeps_its_text_as_typed_and_its_html_without_the_frame(
    person, region
):
    text, html = parts(every_kind(person, region)["message"])
    assert HOSTILE_TEXT in text
    assert "See the slides" in text_of(parsed(html))


def test_the_footer_says_why_in_the_readers_language(region):
    german = UserFactory(email="jana@example.org", first_name="Jana", language="de")
    text, _ = parts(meeting_row(german, "invitation"))
    assert "Guten Tag Jana," in text
    assert "Sie erhalten diese E-Mail, weil Sie zu" in text


def test_two_people_of_one_send_each_get_their_own_name(region):
    practice = PracticeFactory(region=region, title="EDUCAM")
    first, second = (
        Notification.objects.create(
            practice=practice, person=UserFactory(first_name=name), kind="practice_review",
            details={"decision": "published"},
        )
        for name in ("Anna", "Bert")
    )  # fmt: skip
    composer = Composer()
    texts = [composer.build(row).body.splitlines()[0] for row in (first, second)]
    assert texts == ["Hello Anna,", "Hello Bert,"]


def test_the_email_to_the_secretariats_mailbox_greets_nobody_by_name_and_names_no_profile(
    region,
):
    practice = PracticeFactory(region=region, title=HOSTILE_TITLE)
    row = Notification.objects.create(
        practice=practice,
        address="secretariat@asa.example.org",
        kind="practice_review",
        details={"decision": "submitted"},
    )
    text, html = parts(row)
    assert text.startswith("Hello,\n")
    assert text.rstrip().endswith(
        "You get this email because you are in the ASA secretariat, which reviews the "
        "practices.\nWhat the portal keeps about you, and for how long: "
        "https://portal.example.org/privacy/"
    )
    document = parsed(html)
    assert "Hello," in text_of(document)
    assert HOSTILE_TITLE in text_of(document)
    assert [element.tag for element in document.iter() if element.tag == "script"] == []
    # The privacy page, and no profile: a mailbox has none.
    links = [
        a.get("href")
        for footer in document.iterfind(".//p[@class='footer']")
        for a in footer.iter("a")
    ]
    assert links == ["https://portal.example.org/privacy/"]
