import pytest

from rabta.engine.scams import (
    FLAG_ADVICE,
    FLAG_TITLES,
    SEVERITY,
    VERDICT_TEXT,
    VERDICTS,
    scam_check,
)

CHAT = "off_platform_chat"
PAYMENT = "off_platform_payment"
FEE = "upfront_fee"
OVERPAY = "overpayment"
CREDENTIALS = "credentials"
DOCUMENTS = "personal_documents"
FREE = "free_sample"
UNVERIFIED = "unverified_payment"

SCAM = "likely_scam"
CAUTION = "caution"
CLEAN = "no_red_flags"

# (message, the high and medium codes it must raise, verdict).  Written in the style of real
# client messages on Upwork, Fiverr and Freelancer, typos and shouting included.
CORPUS = [
    (
        "Hello dear, I saw your profile. I want to hire you for AutoCAD drafting. Please add me "
        "on WhatsApp +1 (415) 555-0134 for further discussion.",
        {CHAT},
        SCAM,
    ),
    (
        "hi, kindly text me on telegram @john_hr, we will discuss the job there. Its urgent",
        {CHAT},
        SCAM,
    ),
    (
        "We are hiring remote data entry engineers. No experience needed, earn $500 per week! "
        "Registration fee of $25 is refundable. Reply ASAP.",
        {FEE},
        SCAM,
    ),
    (
        "Upwork takes 20% from both of us, so lets close the contract and I'll pay you directly "
        "through PayPal friends and family.",
        {PAYMENT},
        SCAM,
    ),
    (
        "I will send you a cheque of $4,500. Deposit it, keep $500 for your work and send back "
        "the difference to our equipment supplier.",
        {OVERPAY},
        SCAM,
    ),
    (
        "Sir I cannot login from my country. Please share your Upwork password and the OTP code "
        "you received so I can bid from your account. I will give you 30% of every project.",
        {CREDENTIALS},
        SCAM,
    ),
    (
        "Assalam o Alaikum bhai, for verification please send your CNIC front and back pictures "
        "and your JazzCash number.",
        {DOCUMENTS},
        SCAM,
    ),
    (
        "Before we start, do a free sample drawing of the ground floor plan. If we like it we "
        "will hire you for the whole project.",
        {FREE},
        CAUTION,
    ),
    (
        "I'm interested in your profile. My payment method is not verified yet, but I will "
        "verify it later. Please start the work now and I will fund the milestone after you "
        "finish.",
        {UNVERIFIED},
        CAUTION,
    ),
    (
        "Congratulations! You have been selected for our Remote Engineer position. To activate "
        "your account you must buy the design software licence from our approved vendor. "
        "Limited slots!",
        {FEE},
        SCAM,
    ),
    (
        "Pay the security deposit of Rs 3000 through EasyPaisa and we will start the training "
        "tomorrow.",
        {FEE},
        SCAM,
    ),
    (
        "hey!! contact me at johnsmith dot hr at gmail dot com for the job details",
        {CHAT},
        SCAM,
    ),
    (
        "We need a Civil engineer for a villa project in Dubai. Budget is good. Share your "
        "whatsapp number so our manager can call you immediately.",
        {CHAT},
        SCAM,
    ),
    (
        "My client overpaid you by mistake, please refund the extra $200 to my Payoneer.",
        {OVERPAY},
        SCAM,
    ),
    (
        "I want to rent your Upwork account. I will work from it and give you 20% every month.",
        {CREDENTIALS},
        SCAM,
    ),
    (
        "Please do the first floor slab design first and if I like it I will hire you and pay "
        "for everything.",
        {FREE},
        CAUTION,
    ),
    (
        "Hi, I'm the HR of a Canadian firm. Cancel the order on Fiverr and I will send payment "
        "through Western Union.",
        {PAYMENT},
        SCAM,
    ),
    (
        "Work is simple: rate 5 products per day. Earn $300 daily. Only pay a one-time "
        "activation fee of 20 USDT.",
        {FEE, PAYMENT},
        SCAM,
    ),
    (
        "Kindly send me your bank login details and card number so that our finance team can "
        "deposit your salary",
        {DOCUMENTS, CREDENTIALS},
        SCAM,
    ),
    (
        "i dont have verified payment method on upwork right now, can u start without "
        "milestone, i will pay after delivery 100%",
        {UNVERIFIED},
        CAUTION,
    ),
    (
        "Please make one logo for free as a test, the best one will be selected and paid.",
        {FREE},
        CAUTION,
    ),
    (
        "We will send you our laptop and equipment, but you have to pay the shipping fee first "
        "to our vendor.",
        {FEE},
        SCAM,
    ),
    (
        "My Skype is live:cid.83hd, lets discuss the 3D modelling project there",
        {CHAT},
        SCAM,
    ),
    (
        "Let's move this conversation to email, my mail is a.khan(at)outlook(dot)com",
        {CHAT},
        SCAM,
    ),
    (
        "Salam, I am from a Dubai company. Our Upwork account is limited, so please pay through "
        "JazzCash and we will send you projects daily. Registration charges are Rs 2000 only.",
        {PAYMENT, FEE},
        SCAM,
    ),
    (
        "Good day. I work for an oil and gas company in Canada. Kindly send me your full name, "
        "address and a scan of your passport so HR can prepare your contract.",
        {DOCUMENTS},
        SCAM,
    ),
    (
        "Hi, I need a logo and 3D model urgently. I will send you the money via Payoneer, "
        "upwork charges too much.",
        {PAYMENT},
        SCAM,
    ),
    (
        "I can't use Upwork payments from my country, so we will do the payment off platform. "
        "Dont worry its 100% safe.",
        {PAYMENT},
        SCAM,
    ),
    (
        "HELLO DEAR, I NEED A ARCHITECT FOR MY HOUSE PLAN. PLS CONTACT ME ON WATSAPP "
        "0321-7654321, I WILL PAY U DIRECTLY IN EASYPAISA",
        {CHAT, PAYMENT},
        SCAM,
    ),
    (
        "Hi freelancer, pls give me ur email so I can send the project files and NDA. Thanks",
        {CHAT},
        SCAM,
    ),
    (
        "Don't worry about Upwork, just start now and I'll create the contract later. Urgent!!",
        {UNVERIFIED},
        CAUTION,
    ),
    (
        "To save the 10% Upwork fee, lets do bank transfer directly to your Meezan account.",
        {PAYMENT},
        SCAM,
    ),
    (
        "Your profile is selected. Send the 6 digit code you got on your phone to confirm "
        "your interview slot.",
        {CREDENTIALS},
        SCAM,
    ),
    # Genuine messages: nothing above low.
    (
        "Hi Ahmed, I liked your proposal for the ETABS model of our G+3 building in Lahore. I "
        "have sent an offer on Upwork and funded the first milestone of $150. Please start once "
        "you accept.",
        set(),
        CLEAN,
    ),
    (
        "Please send your proposal here on Upwork; I have funded the first milestone of $150",
        set(),
        CLEAN,
    ),
    (
        "Can you share samples from your portfolio? Specifically any PV system layouts you did "
        "for commercial rooftops.",
        set(),
        CLEAN,
    ),
    ("The deadline is urgent, we need the shop drawings by Friday.", set(), CLEAN),
    (
        "Thanks for applying. Could you tell me which version of Revit you use and whether you "
        "have worked with Pakistani building codes (BCP 2021)? We will discuss the details in "
        "Upwork messages.",
        set(),
        CLEAN,
    ),
    (
        "Hello, our budget is $800 for the complete HVAC load calculation (7 floors). Milestone "
        "1: heat load sheets, $250. I will fund milestone 2 after you finish milestone 1.",
        set(),
        CLEAN,
    ),
    (
        "Dear engineer, please do not start before the milestone is funded. Upwork will never "
        "ask for your password, so do not share it with anyone.",
        set(),
        CLEAN,
    ),
    (
        "I need the PCB layout reviewed within 24 hours if possible, can you do it? Budget "
        "15000 - 20000 PKR, paid through Upwork.",
        set(),
        CLEAN,
    ),
    (
        "We are a small solar company in Karachi. Project runs from 2024-01-15 to 2024-03-30. "
        "Please review the attached single line diagram and tell us your fixed price. We "
        "prefer a fixed price contract on Upwork with milestones.",
        set(),
        CLEAN,
    ),
    (
        "Hi! I saw your AutoCAD portfolio, nice work. Could we have a quick Zoom call through "
        "Upwork tomorrow at 4pm PKT to discuss the drawings? I'll send the invite here.",
        set(),
        CLEAN,
    ),
    (
        "We are hiring for a long-term role, pay is $25/hour, 20 hrs per week. Please share 2-3 "
        "relevant samples from your past work and your availability.",
        set(),
        CLEAN,
    ),
    (
        "I work on signal processing for radar systems and need someone to port my MATLAB code "
        "to Python. Payment is via Upwork hourly contract, payment verified.",
        set(),
        CLEAN,
    ),
    (
        "Thanks Sana, the first milestone looks good. I have approved it and released the "
        "payment. I'll fund the next milestone once you send the revised BOQ.",
        set(),
        CLEAN,
    ),
    (
        "AOA, mujhe ek structural engineer chahiye for 10 marla house design in Islamabad. "
        "Budget Rs 60,000. Upwork pe contract karenge, milestone funded hoga pehle.",
        set(),
        CLEAN,
    ),
    (
        "Please don't share your contact details here, Upwork doesn't allow it. We will keep "
        "everything on the platform.",
        set(),
        CLEAN,
    ),
    (
        "Our team of 2019-2021 graduates needs a mentor for FEA in ANSYS, 3 sessions of 2 hours. "
        "The test case is attached; it is part of the paid first milestone.",
        set(),
        CLEAN,
    ),
]


@pytest.mark.parametrize(("message", "codes", "verdict"), CORPUS)
def test_corpus(message, codes, verdict):
    report = scam_check(message)
    serious = {flag.code for flag in report.flags if flag.severity in ("high", "medium")}
    assert serious == codes
    assert report.verdict == verdict


def test_the_corpus_has_enough_genuine_messages():
    assert len(CORPUS) >= 30
    assert sum(verdict == CLEAN for _, _, verdict in CORPUS) >= 10


def test_urgent_alone_is_only_low_pressure():
    report = scam_check("The deadline is urgent")
    assert [(flag.code, flag.severity) for flag in report.flags] == [("pressure", "low")]
    assert report.verdict == CLEAN


def test_empty_text_has_no_flags():
    report = scam_check("")
    assert report.verdict == CLEAN
    assert report.flags == ()


@pytest.mark.parametrize(("message", "codes", "verdict"), CORPUS)
def test_evidence_is_part_of_the_message(message, codes, verdict):
    for flag in scam_check(message).flags:
        assert flag.evidence
        assert len(flag.evidence) <= 80
        assert flag.evidence in message


def test_one_flag_per_code_with_the_first_evidence():
    report = scam_check("Text me on WhatsApp. Later, add me on Telegram too. Text me.")
    assert [flag.code for flag in report.flags] == [CHAT]
    assert report.flags[0].evidence == "Text me"


def test_flags_are_ordered_by_severity():
    report = scam_check("URGENT!! Do a free test task, then pay the registration fee.")
    assert [flag.severity for flag in report.flags] == ["high", "medium", "low"]


def test_case_spacing_and_domain_spellings_do_not_matter():
    for message in (
        "I will PAY   YOU   DIRECTLY outside   UPWORK.COM",
        "i will pay you directly outside upwork",
    ):
        assert {flag.code for flag in scam_check(message).flags} == {PAYMENT}


def test_every_code_and_verdict_has_text():
    assert set(FLAG_TITLES) == set(SEVERITY) == set(FLAG_ADVICE)
    assert set(VERDICT_TEXT) == set(VERDICTS)
    assert "genuine" in VERDICT_TEXT[CLEAN]
    assert set(SEVERITY.values()) == {"high", "medium", "low"}


@pytest.mark.parametrize(
    "message",
    ["1 " * 50000, "a@" * 50000, "pay " * 25000, "you " * 25000, " " * 100000, "a" * 100000],
)
def test_hostile_input_completes(message):
    report = scam_check(message)
    assert report.verdict in VERDICTS
