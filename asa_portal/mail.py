"""Where email goes with no EMAIL_URL: a folder (var/mail/), one message per file.

Django's own file backend writes every message of a connection into one `.log` file,
between lines of dashes, which no mail client opens. Here each message is a `.eml`
file that a mail client opens as it is, named by the time it was written, so that a
listing of the folder is in the order they were sent.
"""

import datetime as dt
import itertools
import os
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

# Two messages written in the same microsecond by one process still get two names.
_counter = itertools.count()


class FolderBackend(BaseEmailBackend):
    def __init__(self, *, file_path=None, fail_silently=False, **kwargs):
        super().__init__(fail_silently=fail_silently, **kwargs)
        self.folder = Path(file_path or settings.EMAIL_FILE_PATH)

    def send_messages(self, email_messages) -> int:
        sent = 0
        for message in email_messages:
            try:
                self._write(message.message().as_bytes())
            except OSError:
                if not self.fail_silently:
                    raise
            else:
                sent += 1
        return sent

    def _write(self, data: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        now = dt.datetime.now(dt.UTC)
        name = f"{now:%Y%m%d-%H%M%S-%f}-{os.getpid()}-{next(_counter):06d}.eml"
        # Written under another name, then renamed: whoever lists the folder (a person,
        # a test) never opens half a message.
        partial = self.folder / f".{name}.partial"
        partial.write_bytes(data)
        partial.replace(self.folder / name)
