"""A digest's message, made and written by goals.reminders.digest_mime: the very bytes Django's
own message and generator give, or Django's own way where the email is not plain."""

import email

import pytest
from django.core.mail import BadHeaderError, EmailMultiAlternatives
from django.core.mail.backends.smtp import EmailBackend

from goals.reminders import digest_mime
from goals.reminders.sending import DigestEmail

BOUNDARY = "==" + "0f1e2d3c" * 4 + "=="
DATE = "Wed, 25 Nov 2026 07:00:00 -0000"


def an_email(
    *,
    subject="2 goal reviews coming up",
    body="Hello Alice,\n\nYou have 2 goal reviews coming up.\n",
    html="<p>Hello Alice,</p>\n<p>You have <strong>2 goal reviews</strong>.</p>\n",
    to=("alice@example.org",),
    headers=None,
    **kwargs,
) -> DigestEmail:
    headers = {"Message-ID": "<review-reminders.7.20261125.41@localhost>", **(headers or {})}
    message = DigestEmail(subject=subject, body=body, to=list(to), headers=headers, **kwargs)
    if html is not None:
        message.attach_alternative(html, "text/html")
    return message


def djangos(message) -> email.message.Message:
    """The message Django itself makes of the email, with the same boundary."""
    mime = EmailMultiAlternatives.message(message)
    mime.set_boundary(BOUNDARY)
    return mime


@pytest.fixture(autouse=True)
def fixed_date(monkeypatch):
    # The Date header both ways: one second apart would differ.
    monkeypatch.setattr("django.core.mail.message.formatdate", lambda **kw: DATE)
    monkeypatch.setattr(digest_mime, "formatdate", lambda **kw: DATE)


PLAIN = {
    "a therapist's digest": {},
    "a name beyond ASCII in the text and the HTML": {
        "body": "Hello Zoë,\n\nBefore your review on Friday…\n",
        "html": "<p>Hello Zoë,</p>\n<p>Before your review — on Friday</p>\n",
    },
    "line ends of every kind": {"body": "one\r\ntwo\rthree\nfour"},
    "a line of 998 bytes, the most 8bit allows": {"body": "é" * 499 + "\n"},
    "a subject as long as one line takes": {"subject": "s" * (78 - len("Subject: "))},
    "two addresses": {"to": ("alice@example.org", "a.b+c@mail.example.org")},
    "a date given": {"headers": {"Date": DATE}},
    "a header of its own": {"headers": {"X-Alliance-Kind": "review-digest"}},
    "an empty HTML alternative": {"html": ""},
}


@pytest.mark.parametrize("fields", PLAIN.values(), ids=PLAIN.keys())
@pytest.mark.parametrize("linesep", ["\n", "\r\n"])
def test_a_plain_digest_is_written_as_django_writes_it(fields, linesep):
    message = an_email(**fields)
    made = digest_mime.written(message, BOUNDARY)
    assert made is not None
    expected = djangos(message).as_bytes(linesep=linesep)
    assert made.as_bytes(linesep=linesep) == expected
    # The same tree: the email package's own generator writes it the same way too.
    assert super(digest_mime.WrittenMessage, made).as_bytes(linesep=linesep) == expected
    assert made.as_string(linesep=linesep) == djangos(message).as_string(linesep=linesep)


@pytest.mark.parametrize("sender", ["Zoë's clinic <no-reply@example.org>", "no-reply@example.org"])
def test_a_sender_of_any_name_is_written_as_django_writes_it(settings, sender):
    settings.DEFAULT_FROM_EMAIL = sender
    message = an_email()
    made = digest_mime.written(message, BOUNDARY)
    assert made is not None
    assert made.as_bytes(linesep="\r\n") == djangos(message).as_bytes(linesep="\r\n")


def test_a_written_message_reads_as_djangos_does():
    message = an_email(body="Hello Zoë,\n")
    made, theirs = digest_mime.written(message, BOUNDARY), djangos(message)
    assert made.items() == theirs.items()
    assert made.get_boundary() == BOUNDARY
    assert [p.get_content_type() for p in made.walk()] == [
        p.get_content_type() for p in theirs.walk()
    ]
    text, html = made.get_payload()
    assert text.get_payload(decode=True).decode() == "Hello Zoë,\n"
    assert text.get_charset() == "utf-8"
    assert html["Content-Transfer-Encoding"] == "7bit"


NOT_PLAIN = {
    "a subject one character too long for a line": {"subject": "s" * (79 - len("Subject: "))},
    "a subject beyond ASCII": {"subject": "Zoë's review"},
    "a subject of two spaces": {"subject": "two  spaces"},
    "a line of 999 bytes": {"body": "x" * 999},
    "a line break str.splitlines counts": {"body": "one\u2028two"},
    "an address with a name": {"to": ("Alice <alice@example.org>",)},
    "an address beyond ASCII": {"to": ("zoë@example.org",)},
    "a copy to someone": {"cc": ["bob@example.org"]},
    "no HTML": {"html": None},
    "a header beyond ASCII": {"headers": {"X-Note": "é"}},
    "an addressee given as a header": {"headers": {"To": "other@example.org"}},
    "a reply address given as a header": {"headers": {"Reply-To": "desk@example.org"}},
    "a header's name with a colon": {"headers": {"X:Note": "plain"}},
}


@pytest.mark.parametrize("fields", NOT_PLAIN.values(), ids=NOT_PLAIN.keys())
def test_anything_not_plain_goes_djangos_way(fields):
    message = an_email(**fields)
    assert digest_mime.written(message, BOUNDARY) is None
    # DigestEmail.message() then is Django's, with a boundary of its own.
    mime = message.message()
    assert not isinstance(mime, digest_mime.WrittenMessage)
    if mime.is_multipart():
        assert len(mime.get_boundary()) == 36


def test_another_spelling_of_utf8_or_another_multipart_goes_djangos_way():
    spelled = an_email()
    spelled.encoding = "UTF-8"  # Django writes the parts as base64 then
    assert digest_mime.written(spelled, BOUNDARY) is None
    related = an_email()
    related.alternative_subtype = "related"
    assert digest_mime.written(related, BOUNDARY) is None


@pytest.mark.parametrize(
    "fields",
    [
        {"subject": "Two\nlines"},
        {"headers": {"X-Note": "one\r\nBcc: someone@example.org"}},
        {"to": ("alice@example.org\nBcc: someone@example.org",)},
    ],
    ids=["subject", "header", "address"],
)
def test_a_line_break_in_a_header_is_refused_as_django_refuses_it(fields):
    with pytest.raises(BadHeaderError):
        an_email(**fields).message()


def test_attachments_and_other_boundaries_go_djangos_way():
    with_file = an_email()
    with_file.attach("a.txt", "text", "text/plain")
    assert digest_mime.written(with_file, BOUNDARY) is None
    assert digest_mime.written(an_email(), "short") is None
    assert digest_mime.written(an_email(), "has space" * 5) is None


def _long_subject(made):
    del made["Subject"]
    made["Subject"] = "word " * 30  # folded by the generator


def _preamble(made):
    made.preamble = "A message in MIME format."


def _new_text(made):
    made.get_payload()[0].set_payload("Changed.\n", "utf-8")


def _new_boundary(made):
    made.set_boundary("==" + "9" * 32 + "==")


def _header_added(made):
    made["X-Later"] = "added"


@pytest.mark.parametrize(
    "change", [_long_subject, _preamble, _new_text, _new_boundary, _header_added]
)
def test_a_message_changed_after_it_was_made_is_written_as_the_generator_writes_it(change):
    made = digest_mime.written(an_email(), BOUNDARY)
    before = made.as_bytes()
    change(made)
    after = made.as_bytes()
    assert after != before
    assert after == super(digest_mime.WrittenMessage, made).as_bytes()


class Recorder:
    def __init__(self):
        self.sent = []

    def sendmail(self, sender, recipients, data):
        self.sent.append((sender, recipients, data))


def test_the_smtp_backend_sends_djangos_bytes_for_a_digest():
    backend = EmailBackend()
    backend.connection = Recorder()
    message = an_email(body="Hello Zoë,\n")
    message.message = lambda: digest_mime.written(message, BOUNDARY)
    assert backend.send_messages([message]) == 1
    [(_, recipients, data)] = backend.connection.sent
    assert recipients == ["alice@example.org"]
    assert data == djangos(message).as_bytes(linesep="\r\n")
    parsed = email.message_from_bytes(data)
    assert parsed.get_payload()[0].get_payload(decode=True).decode() == "Hello Zoë,\r\n"
