"""Scam checker for a message from a client, for engineers new to freelancing.

The scams that reach new freelancers are few and repeat themselves: move the chat to WhatsApp,
pay or get paid outside the platform, pay a "registration fee", deposit a cheque and send back
the difference, share your login or your CNIC, do "a small free sample first".  Each has telltale
wording, so a list of phrase patterns finds most of them, and says *why* a message is risky in
words a new freelancer can act on.  A pattern list cannot prove a message is safe, and the verdict
text says so.

Each finding is a ``ScamFlag`` with a stable ``code``; titles and advice are English text in
module dicts keyed by that code, for the Django side to translate (this package cannot import
Django).

Patterns are written for recall on short messages and for precision on ordinary ones: a genuine
client writing "I have funded the first milestone" or "the deadline is urgent" must not be told
they look like a scammer.  Three filters keep precision up without making the patterns unreadable:

* a negation just before a match ("never share your password", "don't start before the
  milestone is funded") drops it;
* some patterns are dropped when the client is the subject ("I will buy the licence") or when
  the platform is named next to them ("pay through Upwork to your Payoneer");
* contact details are found by ``rabta.engine.contact``, which already tells phones from dates.

All patterns run on a same-length, ASCII-lowercased copy of the text so that evidence is always
a slice of what the user pasted, and all are linear on hostile input (bounded gaps, no nested
quantifiers over overlapping classes).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from rabta.engine.contact import contact_spans
from rabta.engine.i18n import N_

EVIDENCE_CHARS = 80
SEVERITIES = ("high", "medium", "low")
VERDICTS = ("likely_scam", "caution", "no_red_flags")


@dataclass(frozen=True)
class ScamFlag:
    code: str
    severity: str  # high | medium | low
    evidence: str  # the words that raised the flag, as written, at most EVIDENCE_CHARS


@dataclass(frozen=True)
class ScamReport:
    verdict: str  # likely_scam | caution | no_red_flags
    flags: tuple[ScamFlag, ...]


SEVERITY: dict[str, str] = {
    "off_platform_chat": "high",
    "off_platform_payment": "high",
    "upfront_fee": "high",
    "overpayment": "high",
    "credentials": "high",
    "personal_documents": "high",
    "free_sample": "medium",
    "unverified_payment": "medium",
    "pressure": "low",
    "too_good": "low",
}

FLAG_TITLES: dict[str, str] = {
    "off_platform_chat": N_("Asks to talk outside the platform"),
    "off_platform_payment": N_("Asks to pay or be paid outside the platform"),
    "upfront_fee": N_("Asks you to pay money to get the work"),
    "overpayment": N_("Overpayment or cheque trick"),
    "credentials": N_("Asks for your password, code or account"),
    "personal_documents": N_("Asks for your ID or bank details"),
    "free_sample": N_("Asks for free work"),
    "unverified_payment": N_("Payment not verified or not funded"),
    "pressure": N_("Pushes you to hurry"),
    "too_good": N_("Pay that sounds too good"),
}

FLAG_ADVICE: dict[str, str] = {
    "off_platform_chat": (
        N_(
            "Keep all messages on the platform until a contract starts. The platform can only "
            "protect you, and can only see what was agreed, if the chat stays there. Sharing "
            "contact "
            "details early can also get your account suspended."
        )
    ),
    "off_platform_payment": (
        N_(
            "Only accept payment through the platform. Outside it you lose payment protection, and "
            "the platform can close your account. A real client pays the fee; they do not ask you "
            "to help them avoid it."
        )
    ),
    "upfront_fee": (
        N_(
            "Never pay to get work. Real clients do not charge registration, training or deposit "
            "fees, and do not make you buy software or equipment from their vendor."
        )
    ),
    "overpayment": (
        N_(
            "Do not deposit a cheque or send back any 'extra' money. The cheque or payment will "
            "bounce days later and the money you sent will be gone."
        )
    ),
    "credentials": (
        N_(
            "Never share your password, OTP or verification code, and never let anyone log in to "
            "or "
            "'rent' your account. The platform and your bank will never ask for them."
        )
    ),
    "personal_documents": (
        N_(
            "Do not send your CNIC, passport, bank login or card details to a client. Identity "
            "checks are done by the platform itself, never through a client."
        )
    ),
    "free_sample": (
        N_(
            "Do not do new work for free. Show samples from your portfolio instead, or offer a "
            "small "
            "paid first milestone."
        )
    ),
    "unverified_payment": (
        N_(
            "Do not start until the contract exists and the milestone is funded on the platform. "
            "Check the client's 'payment verified' badge before you reply."
        )
    ),
    "pressure": (
        N_(
            "Scammers rush you so that you do not think. Take the time to check the client, even "
            "if "
            "the work is genuinely urgent."
        )
    ),
    "too_good": (
        N_(
            "Very high pay for easy work, or for no experience, is a common bait. Compare the "
            "offer "
            "with what similar jobs pay on the platform."
        )
    ),
}

VERDICT_TEXT: dict[str, str] = {
    "likely_scam": (
        N_(
            "This message has signs of a scam. Do not reply with personal details, do not pay "
            "anything, and report the client to the platform."
        )
    ),
    "caution": (
        N_(
            "Be careful. Something in this message is unusual. Keep everything on the platform and "
            "do not start work until a milestone is funded."
        )
    ),
    "no_red_flags": (
        N_(
            "We found no red flags in this message. No check can prove that a client is genuine, "
            "so "
            "keep all chat and payment on the platform."
        )
    ),
}

# Same length as the input, so that spans in the folded copy slice the original text.
_FOLD = str.maketrans(
    string.ascii_uppercase + "\u2019\u2018\u02bc\u201c\u201d",
    string.ascii_lowercase + "'''\"\"",
)
_CONTACT_KINDS = frozenset({"email", "phone", "messenger"})
_CLAUSE_CHARS = 40
_CLAUSE_END = re.compile(r"[.!?;,\n]")
_NEGATED = re.compile(
    r"\b(?:don'?t|do\s+not|never|not|shouldn'?t|should\s+not|must\s+not|mustn'?t|doesn'?t|"
    r"does\s+not|no\s+one|nobody|will\s+never)\b(?:\W+\w+){0,3}\W*$"
)
# The client, not the engineer, is the one doing it ("I will buy the licence for you").
_CLIENT_SUBJECT = re.compile(
    r"\b(?:i|we|i'll|we'll|i'd|we'd|i'm|we're|i've|we've|ill)\b(?:\W+\w+){0,3}\W*$"
)


def _rx(pattern: str) -> re.Pattern[str]:
    """A pattern written with plain spaces: " " is one or more blanks, " ?" is optional blanks."""
    return re.compile(pattern.replace(" ?", r"\s*").replace(" ", r"\s+"))


def _starts_word(folded: str, index: int) -> bool:
    return index == 0 or not (folded[index - 1].isalnum() or folded[index - 1] == "_")


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    word_start: bool  # the pattern began with \b, checked after the match (see _rule)
    client_may_say: bool = False  # dropped when the client is the subject
    unless_near: re.Pattern[str] | None = None  # dropped when this is found around the match
    unless_inside: re.Pattern[str] | None = None  # dropped when this is found in the match


def _rule(
    pattern: str, client_may_say: bool = False, unless_near: str = "", unless_inside: str = ""
) -> _Rule:
    # A leading \b stops the regex engine from jumping to the first literal, which makes a scan
    # of a long text several times slower; the boundary is checked on each match instead.
    word_start = pattern.startswith(r"\b")
    return _Rule(
        _rx(pattern[2:] if word_start else pattern),
        word_start,
        client_may_say,
        _rx(unless_near) if unless_near else None,
        _rx(unless_inside) if unless_inside else None,
    )


_PLATFORM = (
    r"(?:upwork(?:\.com)?|fiverr(?:\.com)?|freelancer(?:\.com)?|peopleperhour(?:\.com)?"
    r"|guru\.com|(?:the|this) (?:platform|website|app|marketplace))"
)
_CHANNEL = (
    r"(?:wh?ats? ?-?app|whatsap+|watsap+|telegram|skype|signal|wechat|viber|discord|imo|"
    r"e-?mail|gmail|personal (?:e-?mail|number|chat|account)|phone|mobile|cell|sms|"
    r"private chat|direct chat)"
)
_PAY = r"(?:pay|paid|paying|payment|payments)"
# "Reach me at any time" is not a request for contact details.
_WHEN = (
    r"(?:any ?time|once|(?:the |your )?(?:earliest|convenience)|(?:mon|tues|wednes|thurs|fri|"
    r"satur|sun)day|weekends?|weekdays?|tomorrow|today|tonight|noon|night)\b"
)
_OUTSIDE_CHANNEL = (
    r"(?:paypal|payoneer|wise|transferwise|jazz ?cash|easy ?paisa|sada ?pay|naya ?pay|cash ?app|"
    r"zelle|venmo|skrill|neteller|western union|money ?gram|bank (?:transfer|account|deposit)|"
    r"wire transfer|crypto\w*|usdt|bitcoin|btc|binance|gift ?cards?)"
)
_ID_DOCUMENT = (
    r"(?:cnic|nic card|national id(?:entity)?(?: card)?|nadra|id ?card|identity card|"
    r"passport(?!(?:-| )size)|"
    r"driving licen[cs]e|driver'?s licen[cs]e|b-?form)"
)
_LATER_FUNDING = r"(?:next|second|2nd|third|3rd|remaining|following|further|other|subsequent)"

_RULES: dict[str, tuple[_Rule, ...]] = {
    "off_platform_chat": (
        _rule(
            r"\b(?:move|shift|switch|take|continue|transfer|talk|chat|communicate|discuss|connect|"
            r"speak|come)\w* (?:\w+ ){0,3}?(?:to|on|over|via|through|in|at) (?:my |your |the )?"
            + _CHANNEL
            + r"\b"
        ),
        _rule(r"\btext me\b(?! (?:here|on " + _PLATFORM + r"))"),
        _rule(
            r"\b(?:add|ping|message|msg|contact|reach|e-?mail|mail|find|dm|text|knock|inbox) me "
            r"(?:at|on|via|through|over)\b(?! (?:\d|here\b|" + _PLATFORM + r"|" + _WHEN + r"))"
        ),
        _rule(
            r"\b(?:send|share|give|provide|drop|tell|what is|what's|whats)\w* (?:me )?"
            r"(?:your|ur|ya) (?:\w+ )?(?:whats ?app|whatsap+|number|phone|mobile|cell|contact|"
            r"e-?mail|skype|telegram|gmail)s?\b(?! (?:of|for)\b)"
        ),
        _rule(
            r"\b(?:talk|chat|communicate|discuss|continue|work|connect|deal|speak)\w* "
            r"(?:\w+ ){0,3}?(?:outside|off)(?:-| )(?:of )?(?:" + _PLATFORM + r"|platform\b)"
        ),
    ),
    "off_platform_payment": (
        _rule(
            r"\b" + _PAY + r" (?:you |me |them |u |it )?(?:directly|direct|outside|personally|"
            r"privately|off(?:-| )?(?:the )?platform)\b(?! (?:through|via|on|in|by) "
            + _PLATFORM
            + ")"
        ),
        _rule(r"\bdirect(?:ly)? (?:payment|pay|transfer|bank transfer|deal)\b"),
        _rule(
            r"\b(?:pay|paid|paying|payment|payments|transfer|invoice|money)\w* (?:\w+ ){0,4}?"
            r"(?:outside|off) (?:of )?" + _PLATFORM
        ),
        _rule(r"\b(?:outside|off) (?:of )?" + _PLATFORM + r" (?:\w+ ){0,4}?" + _PAY + r"\b"),
        _rule(
            r"\b(?:avoid|save|skip|bypass|escape|dodge|evade)\w* (?:on )?"
            r"(?:(?:the|their|paying|these|those|extra|high|huge|upwork|upwork\.com|upwork's|"
            r"fiverr|fiverr's|freelancer|platform|platform's|service|marketplace|website) ){0,3}"
            r"(?:fees?|commission|charges|cut|percentage)\b"
        ),
        _rule(
            r"\b(?:upwork|fiverr|freelancer|the platform) (?:takes|charges|cuts|eats|keeps) "
            r"(?:\w+ ){0,2}?(?:\d+ ?%|too much|a lot|so much|half)"
        ),
        _rule(r"\bno (?:upwork |fiverr |platform |service )(?:fees?|commission|charges)\b"),
        _rule(r"\bpaypal\b(?: \w+){0,3}? (?:friends? (?:and|&|n) family|f ?& ?f|f ?n ?f)\b"),
        _rule(r"\b(?:friends? (?:and|&|n) family|f&f) (?:\w+ ){0,2}?(?:payment|transfer|option)"),
        _rule(
            r"\b(?:pay|paid|paying|payment|payments|money|funds|amount|salary)\w* (?:\w+ ){0,3}?"
            r"(?:via|through|by|with|using|on|in|to your|into your) (?:my |your |a |the )?"
            + _OUTSIDE_CHANNEL
            + r"\b",
            unless_inside=_PLATFORM,
        ),
        _rule(r"\bbank (?:transfer|deposit|wire) (?:\w+ ){0,2}?directly\b"),
        _rule(r"\b(?:direct(?:ly)? (?:to (?:your|my) )?bank|wire transfer)\b"),
        _rule(
            r"\b(?:your|ur) (?:bank account (?:number|no|details|title)|bank details|iban|"
            r"swift code)\b"
        ),
        _rule(r"\b(?:usdt|tether|trc ?-?20|erc ?-?20|binance (?:id|pay))\b"),
        _rule(r"\b(?:your|ur) (?:crypto|bitcoin|btc|usdt|binance) (?:wallet|address|id|account)"),
        _rule(r"\b(?:western union|money ?gram)\b"),
        _rule(
            r"\b(?:pay|paid|payment|buy|purchase|send|redeem)\w* (?:\w+ ){0,5}?(?:gift ?cards?|"
            r"itunes cards?|google play (?:gift )?cards?|steam cards?|amazon (?:gift )?cards?)"
        ),
        _rule(
            r"\b(?:cancel|close|end|withdraw|refund)\w* (?:the |this |our |your |my )?"
            r"(?:upwork |fiverr )?(?:contract|order|job|offer|milestone|project)\b[^\n]{0,60}?"
            r"\b(?:i|we)(?:'ll| will| can| shall| would)? (?:\w+ ){0,2}?(?:pay|send|transfer)\w*"
        ),
    ),
    "upfront_fee": (
        _rule(
            r"\b(?:registration|training|onboarding|on-boarding|membership|activation|processing|"
            r"security|joining|application|enrol?ment|admin|administrative|account opening|"
            r"verification|certification|clearance|starter|kit) (?:fee|fees|charges?|deposit)\b"
        ),
        _rule(
            r"\b(?:refundable|small|one-?time|token|nominal|minimal) (?:fee|deposit)\b",
            unless_near=r"(?:escrow|milestone|" + _PLATFORM + ")",
        ),
        _rule(
            r"\byou (?:will |would |need to |have to |must |should |just |only |first |are "
            r"required to |'ll )+(?:pay|deposit|purchase|buy|invest)\b(?! (?:attention|close|"
            r"careful|a visit)\b)"
        ),
        _rule(
            r"\bpay (?!you\b|u\b)(?:\w+ ){0,3}?(?:to (?:start|begin|join|get started|activate|"
            r"unlock|receive)|before (?:you |we )?(?:start|begin|join)|for (?:the |your )?"
            r"(?:training|registration|onboarding|kit|starter kit|account activation))\b",
            client_may_say=True,
            unless_near=r"(?:escrow|milestone|funded|" + _PLATFORM + ")",
        ),
        _rule(
            r"\b(?:buy|purchase|order|rent)\b (?:\w+ ){0,4}?(?:software|licen[cs]es?|kit|"
            r"equipment|laptop|tools?|package|course|subscription|device|computer|gear|materials?)"
            r" (?:\w+ ){0,4}?from (?:our|my|the company'?s?|company|the|a|an) (?:\w+ ){0,2}?"
            r"(?:vendor|supplier|store|shop|partner|distributor|dealer|website)s?\b",
            client_may_say=True,
        ),
        _rule(r"\bstarter (?:kit|pack|package)\b"),
        _rule(
            r"\bpay (?:a |the |an |us |me )?(?:small |refundable |one-?time |nominal |minimal |"
            r"token )?(?:fee|deposit)\b",
            client_may_say=True,
            unless_near=r"(?:escrow|milestone|" + _PLATFORM + ")",
        ),
        _rule(
            r"\b(?:fee|deposit|payment) (?:\w+ ){0,3}?(?:to (?:start|begin|join|activate|unlock|"
            r"get started|confirm your (?:spot|seat|position|slot))|before (?:you |we )?"
            r"(?:start|begin|join|get started))\b",
            client_may_say=True,
            unless_near=r"(?:escrow|milestone|funded|" + _PLATFORM + ")",
        ),
    ),
    "overpayment": (
        _rule(r"\bover ?-?pa(?:id|y|yment|ying)\b"),
        _rule(
            r"\b(?:cheques?|(?:a|the|this|my|our|cashier'?s|certified) checks?)\b"
            r"[^.!?\n]{0,60}?\b(?:deposit|cash|encash|clear)\w*"
        ),
        _rule(r"\b(?:deposit|cash|encash)\w* (?:the |a |this |my |our )?(?:cheque|check)s?\b"),
        _rule(
            r"\b(?:send|return|refund|transfer|wire|give)\w* (?:\w+ ){0,2}?back (?:\w+ ){0,2}?"
            r"(?:the )?(?:difference|excess|extra|rest|remaining|balance|remainder)\b"
        ),
        _rule(
            r"\b(?:send|return|refund|transfer|wire)\w* (?:\w+ ){0,2}?(?:the )?(?:difference|"
            r"excess (?:amount|money|funds)|overpaid)\b"
        ),
        _rule(r"\brefund (?:me |us )?(?:the )?(?:extra|excess|difference)\b"),
        _rule(
            r"\b(?:paid|sent|transferred) (?:you )?(?:too much|more than (?:the |agreed|needed|"
            r"required)|(?:extra|double|twice) (?:money|amount|payment|funds)|by mistake|"
            r"mistakenly)"
        ),
    ),
    "credentials": (
        _rule(
            r"\b(?:your|ur|ya) (?:\w+ ){0,2}?(?:password|passwords|passcode|pin(?: code)?|otp|"
            r"one(?:-| )?time (?:password|code|pin)|verification code|security code|"
            r"auth(?:entication)? code|2fa(?: code)?|sms code|log-?in (?:details|credentials|"
            r"info|information|id)|credentials|username and password)\b"
        ),
        _rule(
            r"\b(?:send|share|give|tell|provide|forward|read)\w* (?:me |us )?(?:the )?(?:otp|"
            r"code (?:you|u) (?:received|got|get|will (?:receive|get))|verification code|"
            r"\d(?:-| )?digit code|security code|sms code|log-?in details|credentials)\b",
            client_may_say=True,
        ),
        _rule(
            r"\b(?:i|we|me|us|let me|allow me to) (?:\w+ ){0,3}?(?:log ?in|login|sign ?in|access|"
            r"operate)\w* (?:to |into |in to |on )?(?:your|ur) (?:\w+ )?(?:account|profile|id)\b"
        ),
        _rule(
            r"\b(?:i|we|me|us|let me|allow me to) (?:\w+ ){0,3}?(?:use|run|manage|handle|control)"
            r" (?:your|ur) (?:\w+ )?account\b"
        ),
        _rule(r"\brent\w* (?:\w+ ){0,3}?(?:account|profile|id)s?\b"),
        _rule(r"\baccount (?:rent|rental|sharing|for rent|on rent)\b"),
        _rule(
            r"\b(?:buy|purchase)\w* (?:your )?(?:upwork|fiverr|freelancer|verified) "
            r"(?:account|profile|id)\b"
        ),
    ),
    "personal_documents": (
        _rule(
            r"\b" + _ID_DOCUMENT + r" (?:\w+ ){0,2}?(?:copy|copies|photo|photos|pic|pics|picture|"
            r"image|scan|scanned|front|number|no|details|selfie)\b"
        ),
        _rule(
            r"\b(?:copy|copies|photo|picture|pic|image|scan|selfie|photocopy)s? (?:\w+ ){0,2}?"
            r"(?:of |with )?(?:your |ur )?" + _ID_DOCUMENT + r"\b"
        ),
        _rule(
            r"\b(?:send|share|give|provide|upload|submit|need|want)\w* (?:me |us )?(?:your|ur) "
            + _ID_DOCUMENT
            + r"\b"
        ),
        _rule(r"\b(?:your|ur) cnic\b"),
        _rule(
            r"\b(?:bank|banking|online banking|net ?banking|internet banking|mobile banking|"
            r"jazz ?cash|easy ?paisa) (?:\w+ )?(?:login|log-?in|password|pin|credentials|"
            r"username|user ?name|mpin)\b"
        ),
        _rule(
            r"\b(?:card|debit card|credit card|atm card|visa card|master ?card) (?:details|number|"
            r"no|pin|cvv|cvc|expiry|expiration)\b|\b(?:cvv|cvc)\b"
        ),
        _rule(r"\b(?:your|ur) (?:debit|credit|atm|bank) card\b"),
    ),
    "free_sample": (
        _rule(
            r"\b(?:free|unpaid|no-cost|no cost|complimentary|non-?paid) (?:(?:small|quick|short|"
            r"little|test|sample|trial|demo|initial|mini) ){0,2}(?:sample|test|task|assignment|"
            r"drawing|mock-?up|work|piece|page|logo)s?\b"
        ),
        _rule(
            r"\b(?:sample|test|trial)(?: (?:task|work|job|project|assignment|drawing|design))? "
            r"(?:\w+ ){0,3}?(?:for free|free of (?:cost|charge)|without (?:pay|payment|charge|"
            r"charges)\b(?! (?:method|verif))|at no cost|unpaid|not paid|won't be paid|"
            r"will not be paid)"
        ),
        _rule(
            r"\b(?:do|make|complete|design|draw|create|prepare|work|build|write)\w* (?:\w+ ){0,4}?"
            r"(?:for free|free of (?:cost|charge)|without (?:pay|payment|charge)\b"
            r"(?! (?:method|verif))|at no cost)"
        ),
        _rule(
            r"\b(?:do|make|complete|design|draw|create|prepare|build|write|finish|model)\w* "
            r"(?:me )?(?:\w+ ){0,5}?first\b[^.!?\n]{0,40}?\bif (?:i|we|the client) (?:like|love|"
            r"approve|am (?:happy|satisfied|impressed)|are (?:happy|satisfied|impressed))"
        ),
    ),
    "unverified_payment": (
        _rule(
            r"\b(?:payment|card|billing|account) (?:method |details |info )?(?:is |are |has |"
            r"have )?(?:not (?:yet )?(?:been )?|isn't (?:yet )?|hasn't (?:yet )?been |yet to be |"
            r"still )?un-?verified\b"
        ),
        _rule(
            r"\b(?:payment|card|billing) (?:method |details |info )?(?:is |are |has |have )?"
            r"(?:not|isn't|hasn't|yet to be|still not) (?:yet )?(?:been )?verified\b"
        ),
        _rule(
            r"\bverif\w* (?:my |the )?(?:payment|card|account|billing)\w* (?:method )?"
            r"(?:\w+ ){0,2}?(?:later|afterwards|after|tomorrow|next week|soon|once)\b"
        ),
        _rule(
            r"\b(?:payment|card|billing)\w* (?:method )?(?:\w+ ){0,2}?verif\w* (?:\w+ ){0,2}?"
            r"(?:later|afterwards|tomorrow|next week|soon)\b"
        ),
        _rule(
            r"\b(?:don'?t|do not|doesn'?t|does not|haven'?t|have not|hasn'?t|has not) "
            r"(?:have |got |added |add )?(?:a |any )?(?:verified )?payment (?:method|card|account)"
        ),
        _rule(
            r"\bfund\w* (?:\w+ ){0,4}?(?:later|afterwards|tomorrow|next week|after (?:you|the "
            r"work|the job|delivery|completion|submission)|once (?:you|the work|the job)|when "
            r"(?:you|the work|the job|it)|at the end)\b",
            unless_near=_LATER_FUNDING + r" (?:milestone|phase|stage|part)|milestone (?:[2-9]|two"
            r"|three)\b",
        ),
        _rule(
            r"\b(?:escrow|milestone|contract|offer) (?:\w+ ){0,3}?later\b",
            unless_near=_LATER_FUNDING + r" (?:milestone|phase|stage|part)|milestone (?:[2-9]|two"
            r"|three)\b",
        ),
        _rule(
            r"\b(?:start|begin|work|proceed)\w* (?:\w+ ){0,4}?(?:before|without) (?:a |an |the |"
            r"any |me |i |we )?(?:\w+ ){0,3}?(?:contract|milestone|escrow|offer|funding|funds|"
            r"payment|deposit)\b"
        ),
        _rule(
            r"\bno need (?:for|of|to (?:use|create|make|set up|open|fund|wait for)) (?:an? |the |"
            r"any )?(?:escrow|milestone|contract|offer|upwork contract)s?\b"
        ),
        _rule(
            r"\b(?:escrow|milestone|contract)s? (?:is |are )?(?:not|un) ?(?:needed|necessary|"
            r"required)\b"
        ),
        _rule(r"\bwithout (?:an? |the |any )?(?:escrow|milestone)\b"),
    ),
    "pressure": (
        _rule(
            r"\b(?:urgent(?:ly)?|immediately|asap|right now|right away|act (?:now|fast|quickly)|"
            r"today only|only today|hurry|last chance)\b"
        ),
        _rule(
            r"\bwithin (?:the next )?(?:\d+|an?|one|two|few|next|\d+-\d+) (?:minutes?|mins?|"
            r"hours?|hrs?)\b"
        ),
        _rule(r"\b(?:limited (?:time|slots?|seats?|positions?)\b|first come,? first serve)"),
    ),
    "too_good": (
        _rule(
            r"\bno (?:prior |previous )?(?:experience|skills?|qualifications?) (?:is |are )?"
            r"(?:needed|required|necessary)\b"
        ),
        _rule(r"\b(?:experience|skills?) (?:is |are )?not (?:needed|required|necessary)\b"),
        _rule(r"\b(?:easy|quick|fast) money\b"),
        _rule(
            r"\b(?:easy|simple|basic) (?:\w+ ){0,2}?(?:tasks?|work|jobs?)\b[^.!?\n]{0,60}?"
            r"(?:\$ ?|usd ?)(?:[1-9]\d{2,}|[1-9]\d{0,2},\d{3})"
        ),
        _rule(
            r"\b(?:earn|make|get paid)\w* (?:up to )?(?:\$|usd|rs\.?|pkr) ?\d[\d,]* ?(?:\+ ?)?"
            r"(?:(?:per|a|/|every|each) ?(?:day|week)\b|(?:daily|weekly)\b)"
        ),
        _rule(
            r"\b(?:only|just) (?:\d+|one|two|few|1-2|2-3) (?:minutes?|hours?) (?:a|per|each) day\b"
        ),
    ),
}


def _clause_before(folded: str, start: int) -> str:
    window = folded[max(0, start - _CLAUSE_CHARS) : start]
    ends = [m.end() for m in _CLAUSE_END.finditer(window)]
    return window[ends[-1] :] if ends else window


def _kept(folded: str, rule: _Rule, match: re.Match[str]) -> bool:
    before = _clause_before(folded, match.start())
    if _NEGATED.search(before):
        return False
    if rule.client_may_say and _CLIENT_SUBJECT.search(before):
        return False
    if rule.unless_near is not None:
        near = folded[max(0, match.start() - _CLAUSE_CHARS) : match.end() + _CLAUSE_CHARS]
        if rule.unless_near.search(near):
            return False
    return rule.unless_inside is None or not rule.unless_inside.search(match.group())


def _first_match(folded: str, rules: tuple[_Rule, ...]) -> tuple[int, int] | None:
    best: tuple[int, int] | None = None
    for rule in rules:
        position = 0
        while (match := rule.pattern.search(folded, position)) is not None:
            if best is not None and match.start() >= best[0]:
                break
            if (not rule.word_start or _starts_word(folded, match.start())) and _kept(
                folded, rule, match
            ):
                best = match.span()
                break
            # Search again from the next character, not after this match: a dropped match
            # ("repay" for "pay") may overlap one that counts.
            position = match.start() + 1
    return best


def scam_check(text: str) -> ScamReport:
    """Red flags in a client's message, most severe first, and a verdict."""
    folded = text.translate(_FOLD)
    found: list[tuple[int, int, str]] = []  # severity rank, position, code
    evidence: dict[str, str] = {}
    contacts = [span for span in contact_spans(text) if span[2] in _CONTACT_KINDS]
    for code, rules in _RULES.items():
        span = _first_match(folded, rules)
        if code == "off_platform_chat" and contacts and (span is None or contacts[0][0] < span[0]):
            span = contacts[0][:2]
        if span is None:
            continue
        found.append((SEVERITIES.index(SEVERITY[code]), span[0], code))
        evidence[code] = text[span[0] : span[1]][:EVIDENCE_CHARS]
    found.sort()
    flags = tuple(ScamFlag(code, SEVERITY[code], evidence[code]) for _, _, code in found)
    severities = {flag.severity for flag in flags}
    if "high" in severities:
        verdict = "likely_scam"
    elif "medium" in severities:
        verdict = "caution"
    else:
        verdict = "no_red_flags"
    return ScamReport(verdict, flags)
