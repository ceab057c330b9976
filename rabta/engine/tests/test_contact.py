import pytest

from rabta.engine.contact import ContactFinding, contact_details, contact_spans


def kinds(text):
    return [(f.kind, f.snippet) for f in contact_details(text)]


@pytest.mark.parametrize(
    "phone", ["+92 300 1234567", "0300-1234567", "+1 (415) 555-0134", "(0300) 1234567"]
)
def test_phones_are_found(phone):
    assert kinds(f"Call me on {phone} today.") == [("phone", phone)]


@pytest.mark.parametrize(
    "text",
    [
        "Start on 2024-01-15 and finish by 15/02/2024.",
        "I worked there 2019-2021.",
        "The budget is 1,200,000 PKR.",
        "Budget USD 15000, or Rs 150000-200000 for the whole job.",
        "Order id 123456789.",
        "Between 15000 - 20000 PKR.",
        "Steps 1 2 3 4 5 6 7 8 9 10 11 12.",
        "Server 192.168.100.200 is down.",
    ],
)
def test_dates_amounts_and_short_ids_are_not_phones(text):
    assert kinds(text) == []


def test_two_phones_side_by_side_are_two_phones():
    assert kinds("0300-1234567 0321-7654321") == [
        ("phone", "0300-1234567"),
        ("phone", "0321-7654321"),
    ]


@pytest.mark.parametrize(
    "email",
    [
        "ali.khan@gmail.com",
        "ali at gmail dot com",
        "ali[at]gmail[dot]com",
        "ali (at) gmail (dot) com",
        "ali at the rate gmail dot com",
        "Ali @ Gmail . com",
    ],
)
def test_emails_plain_and_spelled_out(email):
    assert kinds(f"Write to {email} please") == [("email", email)]


def test_at_in_ordinary_english_is_not_an_email():
    assert kinds("Look at example.com and meet at noon.") == []


@pytest.mark.parametrize(
    ("text", "snippet"),
    [
        ("Add me on WhatsApp", "WhatsApp"),
        ("whats app me", "whats app"),
        ("msg on Telegram", "Telegram"),
        ("my skype is ali.k", "skype"),
        ("let's talk on signal", "on signal"),
        ("signal me when ready", "signal me"),
        ("use the Signal app", "Signal app"),
        ("I am on WeChat", "WeChat"),
        ("join the Discord", "Discord"),
        ("on viber", "viber"),
        ("Google Chat works", "Google Chat"),
        ("Hangouts call", "Hangouts"),
        ("I am on imo", "on imo"),
        ("https://wa.me/923001234567", "https://wa.me/923001234567"),
        ("t.me/ali_k", "t.me/ali_k"),
        ("skype:ali.k?call", "skype:ali.k?call"),
    ],
)
def test_messengers(text, snippet):
    assert kinds(text) == [("messenger", snippet)]


@pytest.mark.parametrize(
    "text",
    [
        "I work on signal processing and signal integrity.",
        "What app do you use for BIM?",
        "Build a Telegram bot with the WhatsApp Business API.",
        "Imo is a name.",
    ],
)
def test_messenger_words_in_other_senses(text):
    assert kinds(text) == []


def test_links_and_order_by_position():
    text = "See https://behance.net/x/123456789012. Or www.site.pk, or mail a@b.co."
    assert kinds(text) == [
        ("link", "https://behance.net/x/123456789012"),
        ("link", "www.site.pk"),
        ("email", "a@b.co"),
    ]
    assert [span[2] for span in contact_spans(text)] == ["link", "link", "email"]


def test_snippets_are_trimmed_to_60_characters():
    url = "https://example.com/" + "a" * 100
    assert contact_details(url) == [ContactFinding("link", url[:60])]


@pytest.mark.parametrize(
    "text",
    [
        "1 " * 50000,
        "a@" * 50000,
        "a" * 100000,
        "a." * 50000,
        "+1 " * 33333,
        "1-" * 50000,
        " " * 100000,
        "a at " * 20000,
        "a[at]" * 20000,
        "x@" + "a-" * 50000,
        "on signal " * 10000,
        "0300-1234567 " * 7500,
    ],
)
def test_hostile_input_completes(text):
    assert isinstance(contact_details(text), list)
