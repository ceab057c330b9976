"""Contact details in free text: e-mail addresses, phone numbers, messenger names and links.

Freelance platforms ban contact details before a contract starts, and a client who pushes them is
the first sign of most scams.  Two callers need the same answer: the scam checker (a client's
message that carries a WhatsApp number) and the proposal builder (an engineer's proposal that
would get the account flagged).

People hide details from the platforms' filters ("ali at gmail dot com", "ali[at]gmail[dot]com")
and write numbers every way ("+92 300 1234567", "0300-1234567", "+1 (415) 555-0134"), while
ordinary messages are full of digits that are not phones (dates, year ranges, budgets, ids).  So
numbers are matched loosely and then judged, rather than matched by one clever pattern.

The text is pasted by users, so a slow pattern would be a denial of service.  Every pattern stays
linear on hostile input: no nested quantifiers over overlapping classes, a separator compulsory
between repeated groups, and an address allowed to start only where a run of address characters
starts (a look-behind), so that a long run with no "@" is read once, not once per character.
Patterns run on an ASCII-lowercased copy of the text (same length, so spans carry over) because
case-insensitive patterns lose the regex engine's fast literal search.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

KINDS = ("email", "phone", "messenger", "link")
SNIPPET_CHARS = 60
PHONE_MIN_DIGITS = 10
PHONE_MAX_DIGITS = 15


@dataclass(frozen=True)
class ContactFinding:
    kind: str  # email | phone | messenger | link
    snippet: str


# str.lower() may change the length of some non-ASCII text ("İ"), which would shift every span.
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)

# Local part of an address.  The look-behind lets a match start only at the beginning of a run of
# address characters, which keeps the scan linear on a long run with no "@".
_LOCAL = r"(?<![a-z0-9._%+-])[a-z0-9._%+-]+"
_EMAIL = re.compile(_LOCAL + r"@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?![a-z0-9-])")

# "at" and "dot" as people write them to get past filters; "at the rate" is how many people in
# Pakistan say "@".
_AT = (
    r"(?:[ \t]*[\[({<][ \t]*at[ \t]*[\])}>][ \t]*"
    r"|[ \t]+at(?:[ \t]+the[ \t]+rate(?:[ \t]+of)?)?[ \t]+"
    r"|[ \t]*@[ \t]*)"
)
_DOT = r"(?:[ \t]*[\[({<][ \t]*dot[ \t]*[\])}>][ \t]*|[ \t]+dot[ \t]+|[ \t]*\.[ \t]*)"
# The last label must be a real top-level domain: "meet at the office dot then" is not an address.
_TLD = r"(?:com|net|org|pk|edu|co|io|info|biz|me|uk|us|ae|sa|in|gov|ai|dev|app)"
_OBFUSCATED_EMAIL = re.compile(
    _LOCAL + _AT + r"[a-z0-9-]+(?:" + _DOT + r"[a-z0-9-]+)*?" + _DOT + _TLD + r"(?![a-z0-9-])"
)
# With a plain " at " and a plain "." the sentence may be ordinary English ("look at example.com"),
# so that spelling counts only for the mail services people actually use.
_MAIL_SERVICES = frozenset(
    {"gmail", "yahoo", "hotmail", "outlook", "live", "icloud", "proton", "protonmail", "ymail"}
    | {"aol", "msn", "mail", "gmx", "zoho", "yandex"}
)
_SPELLED_OUT = re.compile(r"[\[({<@]|\bdot\b")
_PLAIN_AT_DOMAIN = re.compile(r"[ \t]+at(?:[ \t]+the[ \t]+rate(?:[ \t]+of)?)?[ \t]+([a-z0-9-]+)")

_MESSENGER_LINK = re.compile(
    r"(?<![a-z0-9._-])(?:(?:wa|t|telegram)\.me|(?:api|chat)\.whatsapp\.com)(?:/[^\s<>\"']*)?"
    r"|(?<![a-z0-9._-])skype:[^\s<>\"']+"
)
_SCHEMES = ("https://www.", "http://www.", "https://", "http://", "www.")
_LINK = re.compile(r"(?<![a-z0-9_])(?:https?://|www\.)[^\s<>\"'{}|\\^`]+")
_LINK_TRAILING = ".,;:!?)]}'\""

# Words after "signal" that make it engineering, not the messenger ("I work on signal processing").
_SIGNAL_NOT_MESSENGER = (
    "processing|integrity|analysis|analyses|conditioning|chain|flow|strength|levels?|paths?|"
    "quality|generators?|generation|noise|power|lines?|routing|wires?|cables?|data|"
    "transmission|detection|filtering|filters?|design|acquisition|names?|sources?|"
    "ground|lights?|box|boxes|systems?|towers?|coverage|loss|booster|layers?|pins?|traces?|"
    "nets?|frequency|bandwidth|ratio|lamps?|cabinet"
)
# A job about building for a messenger ("Telegram bot", "WhatsApp Business API") names it
# without asking to talk there.
_BUILT_FOR_MESSENGER = (
    r"(?![ \t-]*(?:bots?|chat ?bots?|apis?|business[ \t]+api|cloud[ \t]+api|sdks?|webhooks?|"
    r"integrations?|clone|automation)\b)"
)
_MESSENGER = re.compile(
    r"(?<![a-z0-9_])(?:"
    # whatsapp, whats app, watsapp, whatapp (not "what app")
    r"(?:wh?at(?:'?s[ \t-]?)?app?|telegram|skype|wechat|discord|viber|google[ \t]+chat|hangouts)\b"
    + _BUILT_FOR_MESSENGER
    + r"|on[ \t]+imo\b"
    r"|(?:on|via|over|through|using)[ \t]+signal\b(?![ \t]+(?:" + _SIGNAL_NOT_MESSENGER + r")\b)"
    r"|signal[ \t]+(?:me|app|messenger)\b)"
)

# A run of digit groups with short separators between them.  The separator is compulsory between
# groups, so a long run of digits can be split only one way (no exponential backtracking).
_PHONE = re.compile(r"(?<![\w+.,/])(?:\+[ \t]?)?\(?\d+(?:[ \t.()-]{1,3}\d+)*")
_DIGITS = re.compile(r"\d+")
# A blank-separated part of a run, from its first to its last digit or bracket.
_CHUNK = re.compile(r"[+(]*\d[\d().-]*\d\)?|[+(]*\d\)?")
MAX_CHUNKS = 40
# 15 digits, three separator characters between each, a "+" and a bracket.
MAX_PHONE_CHARS = PHONE_MAX_DIGITS + 3 * (PHONE_MAX_DIGITS - 1) + 2
_DATE = re.compile(
    r"(?<!\d)(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}"
    r"|(?:19|20)\d{2}[ \t]*[-/][ \t]*(?:19|20)?\d{2})(?!\d)"
)
_IPV4 = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
_CURRENCY_BEFORE = re.compile(r"(?:\$|usd|rs\.?|pkr|inr|eur|gbp|aed|€|£)[ \t]*$")
_CURRENCY_AFTER = re.compile(r"[ \t]*(?:\$|usd|pkr|rs\b|dollars?|rupees?|/-|k\b|€|£)")


def _looks_like_phone(folded: str, start: int, end: int) -> bool:
    run = folded[start:end]
    groups = _DIGITS.findall(run)
    if not PHONE_MIN_DIGITS <= sum(len(g) for g in groups) <= PHONE_MAX_DIGITS:
        return False
    if end < len(folded) and folded[end].isalnum():
        return False  # glued to letters: a reference or part number, not a phone
    if run.startswith("+"):
        return True  # an international prefix is never written before a date or an amount
    return not _date_or_amount(folded, run, start, end) and _grouped_like_a_phone(groups)


def _date_or_amount(folded: str, run: str, start: int, end: int) -> bool:
    """A date, a year range or an IP address, or a figure with a currency beside it."""
    if _DATE.search(run) or _IPV4.fullmatch(run):
        return True
    if _CURRENCY_BEFORE.search(folded, max(0, start - 8), start):
        return True
    return _CURRENCY_AFTER.match(folded, end, end + 10) is not None


def _grouped_like_a_phone(groups: list[str]) -> bool:
    """Digit groups a phone number is written in, rather than a list of figures."""
    if len(groups) > 6:
        return False
    # Lists of small numbers ("1 2 3 4 5 6 7 8 9 10") add up to ten digits without being a phone.
    if len(groups) >= 3 and sum(len(g) <= 2 for g in groups) * 2 > len(groups):
        return False
    # Round amounts side by side ("15000 - 20000", "1500 2000 3000"); local phones start with 0.
    return groups[0].startswith("0") or not all(len(g) >= 3 and g.endswith("00") for g in groups)


def _phones(folded: str, start: int, end: int) -> list[tuple[int, int]]:
    """The phone numbers in one run of digit groups."""
    if end - start < PHONE_MIN_DIGITS:
        return []
    if end - start <= MAX_PHONE_CHARS and _looks_like_phone(folded, start, end):
        return [(start, end)]
    # Two numbers side by side ("0300-1234567 0321-7654321") make one run with too many digits:
    # try its blank-separated parts, a few at a time, shortest first.  A long run is a table of
    # figures, not a list of phones, and is left alone to keep this linear.
    if folded.count(" ", start, end) + folded.count("\t", start, end) >= MAX_CHUNKS:
        return []
    return _phones_in_chunks(folded, [m.span() for m in _CHUNK.finditer(folded, start, end)])


def _phones_in_chunks(folded: str, chunks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """From each chunk on, the fewest chunks (up to four) with enough digits for a phone, kept
    when they look like one; the scan resumes after a phone, else at the next chunk."""
    digits = [sum(c.isdigit() for c in folded[a:b]) for a, b in chunks]
    found: list[tuple[int, int]] = []
    i = 0
    while i < len(chunks):
        step = 1
        for j in range(i, min(len(chunks), i + 4)):
            if sum(digits[i : j + 1]) >= PHONE_MIN_DIGITS:
                if _looks_like_phone(folded, chunks[i][0], chunks[j][1]):
                    found.append((chunks[i][0], chunks[j][1]))
                    step = j - i + 1
                break
        i += step
    return found


def _spelled_like_an_address(written: str) -> bool:
    if _SPELLED_OUT.search(written):
        return True
    service = _PLAIN_AT_DOMAIN.search(written)
    return service is not None and service.group(1) in _MAIL_SERVICES


def _scheme_start(folded: str, start: int) -> int:
    """Where a messenger link starts, taking in the "https://www." or the like before it."""
    for scheme in _SCHEMES:
        if folded.endswith(scheme, 0, start):
            return start - len(scheme)
    return start


def contact_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every contact detail in ``text``, by position.

    Kinds are claimed in order of specificity, and a span that overlaps one already claimed is
    dropped: an address inside a link is an address, a WhatsApp link is a messenger, the digits
    of a link are not a phone."""
    folded = text.translate(_ASCII_LOWER)
    claimed = bytearray(len(folded))
    spans: list[tuple[int, int, str]] = []

    def claim(start: int, end: int, kind: str) -> None:
        if end <= start or claimed.find(1, start, end) != -1:
            return
        claimed[start:end] = b"\x01" * (end - start)
        spans.append((start, end, kind))

    for m in _EMAIL.finditer(folded):
        claim(m.start(), m.end(), "email")
    for m in _MESSENGER_LINK.finditer(folded):
        end = m.start() + len(m.group().rstrip(_LINK_TRAILING))
        claim(_scheme_start(folded, m.start()), end, "messenger")
    for m in _LINK.finditer(folded):
        claim(m.start(), m.start() + len(m.group().rstrip(_LINK_TRAILING)), "link")
    for m in _OBFUSCATED_EMAIL.finditer(folded):
        if _spelled_like_an_address(m.group()):
            claim(m.start(), m.end(), "email")
    for m in _PHONE.finditer(folded):
        for start, end in _phones(folded, m.start(), m.end()):
            claim(start, end, "phone")
    for m in _MESSENGER.finditer(folded):
        claim(m.start(), m.end(), "messenger")
    spans.sort()
    return spans


def contact_details(text: str) -> list[ContactFinding]:
    """Every contact detail in ``text``, in the order they appear."""
    return [
        ContactFinding(kind, text[start:end][:SNIPPET_CHARS])
        for start, end, kind in contact_spans(text)
    ]
