"""With no EMAIL_URL every message is a file of var/mail/ that a mail client opens."""

import email
import email.policy

import pytest
from django.core.mail import EmailMultiAlternatives, get_connection

from asa_portal.mail import FolderBackend


@pytest.fixture
def folder(settings, tmp_path):
    settings.EMAIL_BACKEND = "asa_portal.mail.FolderBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    return tmp_path / "mail"


def message(subject: str) -> EmailMultiAlternatives:
    mail = EmailMultiAlternatives(
        subject, "Hello Marta", "portal@example.org", ["member@example.org"]
    )
    mail.attach_alternative("<p>Hello Marta</p>", "text/html")
    mail.attach("invitation.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    return mail


def test_each_message_is_a_file_of_its_own_even_over_one_connection(folder):
    connection = get_connection()
    assert connection.send_messages([message("First"), message("Second")]) == 2
    assert len(list(folder.glob("*.eml"))) == 2


def test_a_file_is_the_message_itself_with_no_separator_lines(folder):
    get_connection().send_messages([message("Invitation: WG4")])
    (path,) = folder.glob("*.eml")
    data = path.read_bytes()
    assert data.startswith(b"Content-Type: multipart/mixed")
    assert b"-------" not in data.replace(b"--===", b"")
    parsed = email.message_from_bytes(data, policy=email.policy.default)
    assert parsed["Subject"] == "Invitation: WG4"
    assert parsed.get_body(("plain",)).get_content().strip() == "Hello Marta"
    assert parsed.get_body(("html",)).get_content().strip() == "<p>Hello Marta</p>"
    assert [part.get_filename() for part in parsed.iter_attachments()] == ["invitation.ics"]


def test_the_names_sort_in_the_order_the_messages_were_written(folder):
    subjects = [f"Message {number}" for number in range(12)]
    for subject in subjects:
        get_connection().send_messages([message(subject)])
    names = sorted(path.name for path in folder.glob("*.eml"))
    read = [email.message_from_bytes((folder / name).read_bytes())["Subject"] for name in names]
    assert read == subjects


def test_nothing_but_the_messages_is_left_in_the_folder(folder):
    get_connection().send_messages([message("One"), message("Two")])
    assert sorted(path.suffix for path in folder.iterdir()) == [".eml", ".eml"]


def test_a_folder_that_cannot_be_written_fails_the_send_unless_told_to_be_silent(tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be")
    with pytest.raises(OSError):
        FolderBackend(file_path=blocked).send_messages([message("Lost")])
    assert FolderBackend(file_path=blocked, fail_silently=True).send_messages([message("x")]) == 0
