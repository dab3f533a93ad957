"""An email backend that refuses the first message, as an SMTP server answering 4xx."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend

attempts = []


class FirstAttemptFailsBackend(EmailBackend):
    def send_messages(self, messages):
        attempts.append(len(messages))
        if len(attempts) == 1:
            raise smtplib.SMTPServerDisconnected("421 try again later")
        return super().send_messages(messages)
