"""Mail backends for the worker processes of the integration tests.

Both write to Django's file-based outbox (EMAIL_FILE_PATH), which the test reads back:
- StallOnceBackend: the first message of the test hangs, after leaving its process id in
  TEST_MAIL_STALL_MARKER, so the test can kill the worker in the middle of sending.
- FlakyBackend: each message fails TEST_MAIL_FAILURES times (counted in files under
  TEST_MAIL_STATE, keyed by Message-ID, so tries in different processes add up) before it
  goes through, as a mail server that drops the connection would.
"""

import hashlib
import os
import smtplib
import time
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend


class StallOnceBackend(EmailBackend):
    def send_messages(self, email_messages):
        marker = Path(os.environ["TEST_MAIL_STALL_MARKER"])
        if not marker.exists():
            marker.write_text(str(os.getpid()))
            time.sleep(30)  # killed long before this ends
        return super().send_messages(email_messages)


class FlakyBackend(EmailBackend):
    def send_messages(self, email_messages):
        failures = int(os.environ["TEST_MAIL_FAILURES"])
        state = Path(os.environ["TEST_MAIL_STATE"])
        for message in email_messages:
            key = hashlib.sha256(message.extra_headers["Message-ID"].encode()).hexdigest()
            counter = state / key
            tries = int(counter.read_text()) if counter.exists() else 0
            counter.write_text(str(tries + 1))
            if tries < failures:
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(email_messages)
