"""A digest's MIME message, made and written without the email package's generic machinery.

Django builds an email as a tree of `email` objects (each header checked and each address
parsed as it is set), and its generator then walks the tree, folding every header through
`email.header.Header`. For a reminder digest that was about a fifth of the worker's time per
email. A digest has one shape: a plain text body and one HTML alternative, in UTF-8, with a
handful of short headers. `written()` makes that shape's tree directly, the same tree Django
makes (header by header, payload by payload), and `WrittenMessage.as_bytes` writes it as the
generator would, byte for byte (tests/goals/test_digest_mime.py holds both against Django's
own). Anything else takes Django's own way: `written()` returns None for an email that is not
plain (a header that would be folded or encoded, an address that is not a bare ASCII
address, a line too long for 8bit, an attachment...), and a message changed after it was
made is written by the generator.
"""

import functools
import re
from email.message import Message
from email.utils import formatdate, make_msgid

from django.conf import settings
from django.core.mail.message import (
    RFC5322_EMAIL_LINE_LENGTH_LIMIT,
    SafeMIMEMultipart,
    SafeMIMEText,
    forbid_multi_line_headers,
    utf8_charset,
)
from django.core.mail.utils import DNS_NAME

# What the generator writes unchanged: printable ASCII words parted by single spaces, on a
# line of at most 78 characters with the header's name.
_PLAIN = re.compile(r"[\x21-\x7e]+(?: [\x21-\x7e]+)*")
_FOLD_AT = 78
# A bare address that Django's sanitize_address gives back unchanged.
_BARE_ADDRESS = re.compile(r"[A-Za-z0-9._+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*")
_NEWLINE = re.compile(r"\r\n|\r|\n")
# Line breaks to str.splitlines() (which Django measures lines by) but not to the generator.
_OTHER_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# A header's name: printable ASCII but the colon (RFC 5322 ftext).
_NAME = re.compile(r"[\x21-\x39\x3b-\x7e]+")
# A boundary that makes the top content type too long for one line but leaves the parameter
# short enough for the next: the one fold `_top` writes.
_BOUNDARY = re.compile(r"[0-9A-Za-z=_.-]{31,66}")


def _plain(name: str, value: str) -> bool:
    return len(name) + 2 + len(value) <= _FOLD_AT and _PLAIN.fullmatch(value) is not None


@functools.lru_cache(maxsize=8)
def _sender(value: str) -> str | None:
    """The From header as Django sets it (parsed and formatted again), if it is plain."""
    _, sanitized = forbid_multi_line_headers("From", value, "utf-8")
    return sanitized if isinstance(sanitized, str) and _plain("From", sanitized) else None


def _body(text: str) -> tuple[str, str] | None:
    """(payload as the email package keeps it, transfer encoding), or None if the text needs
    quoted-printable (a line longer than the limit) or has breaks the two count differently."""
    if _OTHER_BREAKS.search(text):
        return None
    try:
        encoded = text.encode()
    except UnicodeEncodeError:  # a lone surrogate
        return None
    if any(len(line) > RFC5322_EMAIL_LINE_LENGTH_LIMIT for line in encoded.splitlines()):
        return None
    if len(encoded) == len(text):
        return text, "7bit"
    return encoded.decode("ascii", "surrogateescape"), "8bit"


def _part(subtype: str, text: str) -> SafeMIMEText | None:
    body = _body(text)
    if body is None:
        return None
    payload, transfer = body
    # Django's own class, its state set as its __init__ would leave it.
    part = SafeMIMEText.__new__(SafeMIMEText)
    Message.__init__(part)
    part.encoding = "utf-8"
    part._headers = [
        ("Content-Type", f'text/{subtype}; charset="utf-8"'),
        ("MIME-Version", "1.0"),
        ("Content-Transfer-Encoding", transfer),
    ]
    part._payload = payload
    part._charset = utf8_charset
    return part


def _headers(email) -> list[tuple[str, str]] | None:
    """The top headers after the content type, in the order Django sets them."""
    sender = _sender(email.extra_headers.get("From", email.from_email))
    to = ", ".join(str(address) for address in email.to)
    if sender is None or email.cc or email.reply_to or not email.to:
        return None
    if not all(_BARE_ADDRESS.fullmatch(str(address)) for address in email.to):
        return None
    names = {name.lower() for name in email.extra_headers}
    if names & {"to", "cc", "reply-to"}:
        return None  # Django writes these from the extra headers: its own way
    headers = [("Subject", email.subject), ("From", sender), ("To", to)]
    if "date" not in names:
        headers.append(("Date", formatdate(localtime=settings.EMAIL_USE_LOCALTIME)))
    if "message-id" not in names:
        headers.append(("Message-ID", make_msgid(domain=DNS_NAME)))
    # From was taken above; To, Cc and Reply-To among them went Django's way.
    headers += [(n, v) for n, v in email.extra_headers.items() if n.lower() != "from"]
    if not all(
        _NAME.fullmatch(name) and isinstance(value, str) and _plain(name, value)
        for name, value in headers
    ):
        return None
    return headers


def written(email, boundary: str) -> "WrittenMessage | None":
    """The email's message with `boundary`, or None where Django's own way is needed: anything
    but a UTF-8 plain text body with one HTML alternative and plain headers."""
    # Exactly "utf-8": Django writes a body in another spelling of it as base64.
    encoding = email.encoding or settings.DEFAULT_CHARSET
    if encoding != "utf-8" or email.attachments or email.content_subtype != "plain":
        return None
    if email.alternative_subtype != "alternative":
        return None
    if [kind for _, kind in email.alternatives] != ["text/html"] or not email.body:
        return None
    if not _BOUNDARY.fullmatch(boundary):
        return None
    headers = _headers(email)
    parts = [_part("plain", email.body), _part("html", email.alternatives[0][0])]
    if headers is None or None in parts:
        return None
    return WrittenMessage(boundary, headers, parts)


class WrittenMessage(SafeMIMEMultipart):
    """The multipart/alternative message Django would make, its bytes written directly."""

    def __init__(self, boundary: str, headers: list[tuple[str, str]], parts: list[Message]):
        Message.__init__(self)  # the state MIMEMultipart's __init__ leaves, set below
        self.encoding = "utf-8"
        self._headers = [
            ("Content-Type", f'multipart/alternative; boundary="{boundary}"'),
            ("MIME-Version", "1.0"),
            *headers,
        ]
        self._payload = list(parts)
        self._as_made = (list(self._headers), list(parts), [self._state(p) for p in parts])

    @staticmethod
    def _state(part: Message):
        return list(part._headers), part._payload, part.preamble, part.epilogue

    def _unchanged(self) -> bool:
        headers, parts, states = self._as_made
        return (
            self._headers == headers
            and self._payload == parts
            and self.preamble is None
            and self.epilogue is None
            and all(self._state(p) == s for p, s in zip(parts, states, strict=True))
        )

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        if unixfrom or not self._unchanged():
            return super().as_bytes(unixfrom=unixfrom, linesep=linesep)
        boundary = self.get_boundary()
        out = [_top(self._headers, boundary, linesep)]
        for part in self._payload:
            out.append(f"--{boundary}{linesep}")
            out.append(_head(part._headers, linesep) + linesep)
            out.append(_NEWLINE.sub(linesep, part._payload))
            out.append(linesep)
        out.append(f"--{boundary}--{linesep}")
        return "".join(out).encode("ascii", "surrogateescape")


def _head(headers: list[tuple[str, str]], linesep: str) -> str:
    return "".join(f"{name}: {value}{linesep}" for name, value in headers)


def _top(headers: list[tuple[str, str]], boundary: str, linesep: str) -> str:
    # The content type with its boundary passes 78 characters: the generator folds it
    # before the parameter.
    content_type = f'Content-Type: multipart/alternative;{linesep} boundary="{boundary}"{linesep}'
    return content_type + _head(headers[1:], linesep) + linesep
