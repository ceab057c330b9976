"""The scam checker's phrase patterns, one tuple of rules per red flag (see ``scams`` for how
they are applied and why they are written as they are).  Data more than code: kept apart so the
checker reads in one screen."""

from __future__ import annotations

import re
from dataclasses import dataclass


def rx(pattern: str) -> re.Pattern[str]:
    """A pattern written with plain spaces: " " is one or more blanks, " ?" is optional blanks."""
    return re.compile(pattern.replace(" ?", r"\s*").replace(" ", r"\s+"))


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    word_start: bool  # the pattern began with \b, checked after the match (see _rule)
    client_may_say: bool = False  # dropped when the client is the subject
    unless_near: re.Pattern[str] | None = None  # dropped when this is found around the match
    unless_inside: re.Pattern[str] | None = None  # dropped when this is found in the match


def rule(
    pattern: str, client_may_say: bool = False, unless_near: str = "", unless_inside: str = ""
) -> Rule:
    # A leading \b stops the regex engine from jumping to the first literal, which makes a scan
    # of a long text several times slower; the boundary is checked on each match instead.
    word_start = pattern.startswith(r"\b")
    return Rule(
        rx(pattern[2:] if word_start else pattern),
        word_start,
        client_may_say,
        rx(unless_near) if unless_near else None,
        rx(unless_inside) if unless_inside else None,
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

RULES: dict[str, tuple[Rule, ...]] = {
    "off_platform_chat": (
        rule(
            r"\b(?:move|shift|switch|take|continue|transfer|talk|chat|communicate|discuss|connect|"
            r"speak|come)\w* (?:\w+ ){0,3}?(?:to|on|over|via|through|in|at) (?:my |your |the )?"
            + _CHANNEL
            + r"\b"
        ),
        rule(r"\btext me\b(?! (?:here|on " + _PLATFORM + r"))"),
        rule(
            r"\b(?:add|ping|message|msg|contact|reach|e-?mail|mail|find|dm|text|knock|inbox) me "
            r"(?:at|on|via|through|over)\b(?! (?:\d|here\b|" + _PLATFORM + r"|" + _WHEN + r"))"
        ),
        rule(
            r"\b(?:send|share|give|provide|drop|tell|what is|what's|whats)\w* (?:me )?"
            r"(?:your|ur|ya) (?:\w+ )?(?:whats ?app|whatsap+|number|phone|mobile|cell|contact|"
            r"e-?mail|skype|telegram|gmail)s?\b(?! (?:of|for)\b)"
        ),
        rule(
            r"\b(?:talk|chat|communicate|discuss|continue|work|connect|deal|speak)\w* "
            r"(?:\w+ ){0,3}?(?:outside|off)(?:-| )(?:of )?(?:" + _PLATFORM + r"|platform\b)"
        ),
    ),
    "off_platform_payment": (
        rule(
            r"\b" + _PAY + r" (?:you |me |them |u |it )?(?:directly|direct|outside|personally|"
            r"privately|off(?:-| )?(?:the )?platform)\b(?! (?:through|via|on|in|by) "
            + _PLATFORM
            + ")"
        ),
        rule(r"\bdirect(?:ly)? (?:payment|pay|transfer|bank transfer|deal)\b"),
        rule(
            r"\b(?:pay|paid|paying|payment|payments|transfer|invoice|money)\w* (?:\w+ ){0,4}?"
            r"(?:outside|off) (?:of )?" + _PLATFORM
        ),
        rule(r"\b(?:outside|off) (?:of )?" + _PLATFORM + r" (?:\w+ ){0,4}?" + _PAY + r"\b"),
        rule(
            r"\b(?:avoid|save|skip|bypass|escape|dodge|evade)\w* (?:on )?"
            r"(?:(?:the|their|paying|these|those|extra|high|huge|upwork|upwork\.com|upwork's|"
            r"fiverr|fiverr's|freelancer|platform|platform's|service|marketplace|website) ){0,3}"
            r"(?:fees?|commission|charges|cut|percentage)\b"
        ),
        rule(
            r"\b(?:upwork|fiverr|freelancer|the platform) (?:takes|charges|cuts|eats|keeps) "
            r"(?:\w+ ){0,2}?(?:\d+ ?%|too much|a lot|so much|half)"
        ),
        rule(r"\bno (?:upwork |fiverr |platform |service )(?:fees?|commission|charges)\b"),
        rule(r"\bpaypal\b(?: \w+){0,3}? (?:friends? (?:and|&|n) family|f ?& ?f|f ?n ?f)\b"),
        rule(r"\b(?:friends? (?:and|&|n) family|f&f) (?:\w+ ){0,2}?(?:payment|transfer|option)"),
        rule(
            r"\b(?:pay|paid|paying|payment|payments|money|funds|amount|salary)\w* (?:\w+ ){0,3}?"
            r"(?:via|through|by|with|using|on|in|to your|into your) (?:my |your |a |the )?"
            + _OUTSIDE_CHANNEL
            + r"\b",
            unless_inside=_PLATFORM,
        ),
        rule(r"\bbank (?:transfer|deposit|wire) (?:\w+ ){0,2}?directly\b"),
        rule(r"\b(?:direct(?:ly)? (?:to (?:your|my) )?bank|wire transfer)\b"),
        rule(
            r"\b(?:your|ur) (?:bank account (?:number|no|details|title)|bank details|iban|"
            r"swift code)\b"
        ),
        rule(r"\b(?:usdt|tether|trc ?-?20|erc ?-?20|binance (?:id|pay))\b"),
        rule(r"\b(?:your|ur) (?:crypto|bitcoin|btc|usdt|binance) (?:wallet|address|id|account)"),
        rule(r"\b(?:western union|money ?gram)\b"),
        rule(
            r"\b(?:pay|paid|payment|buy|purchase|send|redeem)\w* (?:\w+ ){0,5}?(?:gift ?cards?|"
            r"itunes cards?|google play (?:gift )?cards?|steam cards?|amazon (?:gift )?cards?)"
        ),
        rule(
            r"\b(?:cancel|close|end|withdraw|refund)\w* (?:the |this |our |your |my )?"
            r"(?:upwork |fiverr )?(?:contract|order|job|offer|milestone|project)\b[^\n]{0,60}?"
            r"\b(?:i|we)(?:'ll| will| can| shall| would)? (?:\w+ ){0,2}?(?:pay|send|transfer)\w*"
        ),
    ),
    "upfront_fee": (
        rule(
            r"\b(?:registration|training|onboarding|on-boarding|membership|activation|processing|"
            r"security|joining|application|enrol?ment|admin|administrative|account opening|"
            r"verification|certification|clearance|starter|kit) (?:fee|fees|charges?|deposit)\b"
        ),
        rule(
            r"\b(?:refundable|small|one-?time|token|nominal|minimal) (?:fee|deposit)\b",
            unless_near=r"(?:escrow|milestone|" + _PLATFORM + ")",
        ),
        rule(
            r"\byou (?:will |would |need to |have to |must |should |just |only |first |are "
            r"required to |'ll )+(?:pay|deposit|purchase|buy|invest)\b(?! (?:attention|close|"
            r"careful|a visit)\b)"
        ),
        rule(
            r"\bpay (?!you\b|u\b)(?:\w+ ){0,3}?(?:to (?:start|begin|join|get started|activate|"
            r"unlock|receive)|before (?:you |we )?(?:start|begin|join)|for (?:the |your )?"
            r"(?:training|registration|onboarding|kit|starter kit|account activation))\b",
            client_may_say=True,
            unless_near=r"(?:escrow|milestone|funded|" + _PLATFORM + ")",
        ),
        rule(
            r"\b(?:buy|purchase|order|rent)\b (?:\w+ ){0,4}?(?:software|licen[cs]es?|kit|"
            r"equipment|laptop|tools?|package|course|subscription|device|computer|gear|materials?)"
            r" (?:\w+ ){0,4}?from (?:our|my|the company'?s?|company|the|a|an) (?:\w+ ){0,2}?"
            r"(?:vendor|supplier|store|shop|partner|distributor|dealer|website)s?\b",
            client_may_say=True,
        ),
        rule(r"\bstarter (?:kit|pack|package)\b"),
        rule(
            r"\bpay (?:a |the |an |us |me )?(?:small |refundable |one-?time |nominal |minimal |"
            r"token )?(?:fee|deposit)\b",
            client_may_say=True,
            unless_near=r"(?:escrow|milestone|" + _PLATFORM + ")",
        ),
        rule(
            r"\b(?:fee|deposit|payment) (?:\w+ ){0,3}?(?:to (?:start|begin|join|activate|unlock|"
            r"get started|confirm your (?:spot|seat|position|slot))|before (?:you |we )?"
            r"(?:start|begin|join|get started))\b",
            client_may_say=True,
            unless_near=r"(?:escrow|milestone|funded|" + _PLATFORM + ")",
        ),
    ),
    "overpayment": (
        rule(r"\bover ?-?pa(?:id|y|yment|ying)\b"),
        rule(
            r"\b(?:cheques?|(?:a|the|this|my|our|cashier'?s|certified) checks?)\b"
            r"[^.!?\n]{0,60}?\b(?:deposit|cash|encash|clear)\w*"
        ),
        rule(r"\b(?:deposit|cash|encash)\w* (?:the |a |this |my |our )?(?:cheque|check)s?\b"),
        rule(
            r"\b(?:send|return|refund|transfer|wire|give)\w* (?:\w+ ){0,2}?back (?:\w+ ){0,2}?"
            r"(?:the )?(?:difference|excess|extra|rest|remaining|balance|remainder)\b"
        ),
        rule(
            r"\b(?:send|return|refund|transfer|wire)\w* (?:\w+ ){0,2}?(?:the )?(?:difference|"
            r"excess (?:amount|money|funds)|overpaid)\b"
        ),
        rule(r"\brefund (?:me |us )?(?:the )?(?:extra|excess|difference)\b"),
        rule(
            r"\b(?:paid|sent|transferred) (?:you )?(?:too much|more than (?:the |agreed|needed|"
            r"required)|(?:extra|double|twice) (?:money|amount|payment|funds)|by mistake|"
            r"mistakenly)"
        ),
    ),
    "credentials": (
        rule(
            r"\b(?:your|ur|ya) (?:\w+ ){0,2}?(?:password|passwords|passcode|pin(?: code)?|otp|"
            r"one(?:-| )?time (?:password|code|pin)|verification code|security code|"
            r"auth(?:entication)? code|2fa(?: code)?|sms code|log-?in (?:details|credentials|"
            r"info|information|id)|credentials|username and password)\b"
        ),
        rule(
            r"\b(?:send|share|give|tell|provide|forward|read)\w* (?:me |us )?(?:the )?(?:otp|"
            r"code (?:you|u) (?:received|got|get|will (?:receive|get))|verification code|"
            r"\d(?:-| )?digit code|security code|sms code|log-?in details|credentials)\b",
            client_may_say=True,
        ),
        rule(
            r"\b(?:i|we|me|us|let me|allow me to) (?:\w+ ){0,3}?(?:log ?in|login|sign ?in|access|"
            r"operate)\w* (?:to |into |in to |on )?(?:your|ur) (?:\w+ )?(?:account|profile|id)\b"
        ),
        rule(
            r"\b(?:i|we|me|us|let me|allow me to) (?:\w+ ){0,3}?(?:use|run|manage|handle|control)"
            r" (?:your|ur) (?:\w+ )?account\b"
        ),
        rule(r"\brent\w* (?:\w+ ){0,3}?(?:account|profile|id)s?\b"),
        rule(r"\baccount (?:rent|rental|sharing|for rent|on rent)\b"),
        rule(
            r"\b(?:buy|purchase)\w* (?:your )?(?:upwork|fiverr|freelancer|verified) "
            r"(?:account|profile|id)\b"
        ),
    ),
    "personal_documents": (
        rule(
            r"\b" + _ID_DOCUMENT + r" (?:\w+ ){0,2}?(?:copy|copies|photo|photos|pic|pics|picture|"
            r"image|scan|scanned|front|number|no|details|selfie)\b"
        ),
        rule(
            r"\b(?:copy|copies|photo|picture|pic|image|scan|selfie|photocopy)s? (?:\w+ ){0,2}?"
            r"(?:of |with )?(?:your |ur )?" + _ID_DOCUMENT + r"\b"
        ),
        rule(
            r"\b(?:send|share|give|provide|upload|submit|need|want)\w* (?:me |us )?(?:your|ur) "
            + _ID_DOCUMENT
            + r"\b"
        ),
        rule(r"\b(?:your|ur) cnic\b"),
        rule(
            r"\b(?:bank|banking|online banking|net ?banking|internet banking|mobile banking|"
            r"jazz ?cash|easy ?paisa) (?:\w+ )?(?:login|log-?in|password|pin|credentials|"
            r"username|user ?name|mpin)\b"
        ),
        rule(
            r"\b(?:card|debit card|credit card|atm card|visa card|master ?card) (?:details|number|"
            r"no|pin|cvv|cvc|expiry|expiration)\b|\b(?:cvv|cvc)\b"
        ),
        rule(r"\b(?:your|ur) (?:debit|credit|atm|bank) card\b"),
    ),
    "free_sample": (
        rule(
            r"\b(?:free|unpaid|no-cost|no cost|complimentary|non-?paid) (?:(?:small|quick|short|"
            r"little|test|sample|trial|demo|initial|mini) ){0,2}(?:sample|test|task|assignment|"
            r"drawing|mock-?up|work|piece|page|logo)s?\b"
        ),
        rule(
            r"\b(?:sample|test|trial)(?: (?:task|work|job|project|assignment|drawing|design))? "
            r"(?:\w+ ){0,3}?(?:for free|free of (?:cost|charge)|without (?:pay|payment|charge|"
            r"charges)\b(?! (?:method|verif))|at no cost|unpaid|not paid|won't be paid|"
            r"will not be paid)"
        ),
        rule(
            r"\b(?:do|make|complete|design|draw|create|prepare|work|build|write)\w* (?:\w+ ){0,4}?"
            r"(?:for free|free of (?:cost|charge)|without (?:pay|payment|charge)\b"
            r"(?! (?:method|verif))|at no cost)"
        ),
        rule(
            r"\b(?:do|make|complete|design|draw|create|prepare|build|write|finish|model)\w* "
            r"(?:me )?(?:\w+ ){0,5}?first\b[^.!?\n]{0,40}?\bif (?:i|we|the client) (?:like|love|"
            r"approve|am (?:happy|satisfied|impressed)|are (?:happy|satisfied|impressed))"
        ),
    ),
    "unverified_payment": (
        rule(
            r"\b(?:payment|card|billing|account) (?:method |details |info )?(?:is |are |has |"
            r"have )?(?:not (?:yet )?(?:been )?|isn't (?:yet )?|hasn't (?:yet )?been |yet to be |"
            r"still )?un-?verified\b"
        ),
        rule(
            r"\b(?:payment|card|billing) (?:method |details |info )?(?:is |are |has |have )?"
            r"(?:not|isn't|hasn't|yet to be|still not) (?:yet )?(?:been )?verified\b"
        ),
        rule(
            r"\bverif\w* (?:my |the )?(?:payment|card|account|billing)\w* (?:method )?"
            r"(?:\w+ ){0,2}?(?:later|afterwards|after|tomorrow|next week|soon|once)\b"
        ),
        rule(
            r"\b(?:payment|card|billing)\w* (?:method )?(?:\w+ ){0,2}?verif\w* (?:\w+ ){0,2}?"
            r"(?:later|afterwards|tomorrow|next week|soon)\b"
        ),
        rule(
            r"\b(?:don'?t|do not|doesn'?t|does not|haven'?t|have not|hasn'?t|has not) "
            r"(?:have |got |added |add )?(?:a |any )?(?:verified )?payment (?:method|card|account)"
        ),
        rule(
            r"\bfund\w* (?:\w+ ){0,4}?(?:later|afterwards|tomorrow|next week|after (?:you|the "
            r"work|the job|delivery|completion|submission)|once (?:you|the work|the job)|when "
            r"(?:you|the work|the job|it)|at the end)\b",
            unless_near=_LATER_FUNDING + r" (?:milestone|phase|stage|part)|milestone (?:[2-9]|two"
            r"|three)\b",
        ),
        rule(
            r"\b(?:escrow|milestone|contract|offer) (?:\w+ ){0,3}?later\b",
            unless_near=_LATER_FUNDING + r" (?:milestone|phase|stage|part)|milestone (?:[2-9]|two"
            r"|three)\b",
        ),
        rule(
            r"\b(?:start|begin|work|proceed)\w* (?:\w+ ){0,4}?(?:before|without) (?:a |an |the |"
            r"any |me |i |we )?(?:\w+ ){0,3}?(?:contract|milestone|escrow|offer|funding|funds|"
            r"payment|deposit)\b"
        ),
        rule(
            r"\bno need (?:for|of|to (?:use|create|make|set up|open|fund|wait for)) (?:an? |the |"
            r"any )?(?:escrow|milestone|contract|offer|upwork contract)s?\b"
        ),
        rule(
            r"\b(?:escrow|milestone|contract)s? (?:is |are )?(?:not|un) ?(?:needed|necessary|"
            r"required)\b"
        ),
        rule(r"\bwithout (?:an? |the |any )?(?:escrow|milestone)\b"),
    ),
    "pressure": (
        rule(
            r"\b(?:urgent(?:ly)?|immediately|asap|right now|right away|act (?:now|fast|quickly)|"
            r"today only|only today|hurry|last chance)\b"
        ),
        rule(
            r"\bwithin (?:the next )?(?:\d+|an?|one|two|few|next|\d+-\d+) (?:minutes?|mins?|"
            r"hours?|hrs?)\b"
        ),
        rule(r"\b(?:limited (?:time|slots?|seats?|positions?)\b|first come,? first serve)"),
    ),
    "too_good": (
        rule(
            r"\bno (?:prior |previous )?(?:experience|skills?|qualifications?) (?:is |are )?"
            r"(?:needed|required|necessary)\b"
        ),
        rule(r"\b(?:experience|skills?) (?:is |are )?not (?:needed|required|necessary)\b"),
        rule(r"\b(?:easy|quick|fast) money\b"),
        rule(
            r"\b(?:easy|simple|basic) (?:\w+ ){0,2}?(?:tasks?|work|jobs?)\b[^.!?\n]{0,60}?"
            r"(?:\$ ?|usd ?)(?:[1-9]\d{2,}|[1-9]\d{0,2},\d{3})"
        ),
        rule(
            r"\b(?:earn|make|get paid)\w* (?:up to )?(?:\$|usd|rs\.?|pkr) ?\d[\d,]* ?(?:\+ ?)?"
            r"(?:(?:per|a|/|every|each) ?(?:day|week)\b|(?:daily|weekly)\b)"
        ),
        rule(
            r"\b(?:only|just) (?:\d+|one|two|few|1-2|2-3) (?:minutes?|hours?) (?:a|per|each) day\b"
        ),
    ),
}
