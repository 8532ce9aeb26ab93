"""English-speaking guests at Harbor Inn (and one at Hotel Sol), written the way they
text: lower case, typos, "u", "pls", emojis. Today is Wednesday 2 Dec 2026."""
from datetime import date as D  # noqa: N817

from . import patterns
from .model import (
    FALLBACK,
    Booked,
    Cancelled,
    Conversation,
    Existing,
    Fact,
    HandedOff,
    LateCheckoutRequested,
    NoBooking,
    NotHandedOff,
    NothingRevealed,
    StillConfirmed,
    Turn,
)

C, T = Conversation, Turn
on, nights, people = patterns.en_on, patterns.en_nights, patterns.en_people

INN = "harbor-inn"
ROOMS = [r"queen", r"king", r"suite"]
PRICES = [r"\b95\b", r"\b145\b", r"\b265\b"]
NAME_Q = r"name"
EMAIL_Q = r"e-?mail"
CONFIRM_Q = r"confirm"
DONE = [r"confirmed|booked|code"]
LATE_OK = r"staff|front desk|team|will confirm|confirm (it|with you)|let you know|get back to you"
STAFF = r"person|team|staff|front desk|someone|colleague|human"
OTHER_PHONE = "+13125550177"
JANUARY = Existing(check_in=D(2027, 1, 15), check_out=D(2027, 1, 18), name="Linda Baker",
                   email="linda.baker@example.com")
IN_HOUSE = Existing(check_in=D(2026, 12, 2), check_out=D(2026, 12, 6), name="Linda Baker",
                    email="linda.baker@example.com")


def ending(name: str, email: str, total: str) -> list[T]:
    """Name, email, summary and yes: the tail every booking shares."""
    return [
        T(name, says=[EMAIL_Q]),
        T(email, says=[total, name.split()[0], CONFIRM_Q]),
        T("yes", says=DONE),
    ]


BOOKING_HAPPY = [
    C("en-happy-01", "booking_happy", INN, [
        T("hi i'd like to book a room", says=[r"date|when|which (days|nights)"]),
        T("jan 10 to jan 12", says=[r"how many|guests|people"]),
        T("2 adults", says=ROOMS + PRICES),
        T("king", says=[NAME_Q]),
        *ending("John Smith", "john.smith@gmail.com", r"290"),
    ], Booked(D(2027, 1, 10), D(2027, 1, 12), 2, "deluxe", "John Smith", "john.smith@gmail.com")),
    C("en-happy-02", "booking_happy", INN, [
        T("do you have a room dec 18-21 for 2 people", says=[on(18, 12), nights(3), r"285"]),
        T("standard queen", says=[NAME_Q]),
        *ending("Emily Clark", "emily.clark@yahoo.com", r"285"),
    ], Booked(D(2026, 12, 18), D(2026, 12, 21), 2, "standard", "Emily Clark")),
    C("en-happy-03", "booking_happy", INN, [
        T("Need the harbor view suite for 4, jan 22 for 2 nights", says=[r"suite", r"530", on(22, 1)]),
        T("yes the suite", says=[NAME_Q]),
        T("my name is Robert Brown", says=[EMAIL_Q]),
        T("rbrown@outlook.com", says=[r"530", r"robert", CONFIRM_Q]),
        T("confirm", says=DONE),
    ], Booked(D(2027, 1, 22), D(2027, 1, 24), 4, "suite", "Robert Brown", "rbrown@outlook.com")),
    C("en-happy-04", "booking_happy", INN, [
        T("hey 👋 any availability dec 26 - dec 28? 3 of us", says=[r"king|suite", on(26, 12)]),
        T("deluxe king", says=[NAME_Q]),
        *ending("Sarah Miller", "sarah.miller@gmail.com", r"290"),
    ], Booked(D(2026, 12, 26), D(2026, 12, 28), 3, "deluxe", "Sarah Miller")),
    C("en-happy-05", "booking_happy", INN, [
        T("Hi this is David Lee, looking for a room"),
        T("2 guests, january 5 to 8", says=[on(5, 1), nights(3)]),
        T("queen", says=[EMAIL_Q], not_says=[r"whose name|your name"]),
        T("david.lee@icloud.com", says=[r"285", r"david lee", CONFIRM_Q]),
        T("yes", says=DONE),
    ], Booked(D(2027, 1, 5), D(2027, 1, 8), 2, "standard", "David Lee", "david.lee@icloud.com")),
    C("en-happy-06", "booking_happy", INN, [
        T("book me a king room feb 12-14 for me and my wife", says=[on(12, 2), r"290"]),
        T("Michael Davis", says=[EMAIL_Q]),
        T("mdavis@gmail.com", says=[r"290", r"michael", CONFIRM_Q]),
        T("sure", says=DONE),
    ], Booked(D(2027, 2, 12), D(2027, 2, 14), 2, "deluxe", "Michael Davis", "mdavis@gmail.com")),
]

CORRECTIONS = [
    C("en-correction-01", "corrections", INN, [
        T("hi, rooms from jan 10 to 12 for two?", says=[r"jan(uary)?"]),
        T("actually make it the 14th to the 16th", says=[on(14, 1)], not_says=[r"dec(ember)?"]),
        T("king", says=[NAME_Q]),
        *ending("Kate Wilson", "kate.wilson@gmail.com", r"290"),
    ], Booked(D(2027, 1, 14), D(2027, 1, 16), 2, "deluxe", "Kate Wilson")),
    C("en-correction-02", "corrections", INN, [
        T("i want to book jan 8-10, 2 people", says=[on(8, 1)]),
        T("deluxe king", says=[NAME_Q]),
        T("sorry, there will be three of us", says=[NAME_Q], not_says=[r"sorry,? there will|three of us"]),
        T("Tom Harris", says=[EMAIL_Q]),
        T("tom.harris@gmail.com", says=[people(3), r"tom harris", r"290"]),
        T("yes", says=DONE),
    ], Booked(D(2027, 1, 8), D(2027, 1, 10), 3, "deluxe", "Tom Harris")),
    C("en-correction-03", "corrections", INN, [
        T("jan 10-12 for 2, queen please", says=[on(10, 1)]),
        T("Grace Hill", says=[EMAIL_Q]),
        T("grace.hill@gmail.com", says=[r"190", CONFIRM_Q]),
        T("hmm can we switch to the suite instead?", says=[r"suite", r"530"], not_says=[r"\b190\b"]),
        T("yes", says=DONE),
    ], Booked(D(2027, 1, 10), D(2027, 1, 12), 2, "suite", "Grace Hill")),
    C("en-correction-04", "corrections", INN, [
        T("queen room jan 18 to 20, 2 ppl", says=[on(18, 1)]),
        T("Amy Brooks", says=[EMAIL_Q]),
        T("amy.b@gmial.com", says=[CONFIRM_Q]),
        T("wait, wrong email - it's amy.b@gmail.com", says=[r"amy\.b@gmail\.com"], not_says=[r"gmial"]),
        T("ok yes now", says=DONE),
    ], Booked(D(2027, 1, 18), D(2027, 1, 20), 2, "standard", "Amy Brooks", "amy.b@gmail.com")),
    C("en-correction-05", "corrections", INN, [
        T("room for 2 jan 20 to 22", says=[on(20, 1)]),
        T("oops I meant february not january", says=[on(20, 2)]),
        T("queen", says=[NAME_Q]),
        *ending("Nina Patel", "nina.patel@gmail.com", r"190"),
    ], Booked(D(2027, 2, 20), D(2027, 2, 22), 2, "standard", "Nina Patel")),
]

PARTY_SIZE = [
    C("en-party-01", "party_size", INN, [
        T("my husband and I need a room jan 8 to 10", says=[people(2)], not_says=[r"how many"]),
        T("the queen", says=[NAME_Q]),
        *ending("Helen Ward", "helen.ward@gmail.com", r"190"),
    ], Booked(D(2027, 1, 8), D(2027, 1, 10), 2, "standard")),
    C("en-party-02", "party_size", INN, [
        T("me and my boss, jan 12-14, separate beds if possible", says=[people(2)], not_says=[r"how many"]),
    ]),
    C("en-party-03", "party_size", INN, [
        T("we are a family of four, two of them children, jan 15-18", says=[people(4), r"suite"],
          not_says=[r"how many"]),
    ]),
    C("en-party-04", "party_size", INN, [
        T("need a room jan 20-22, x3", says=[people(3)], not_says=[r"how many"]),
    ]),
    C("en-party-05", "party_size", INN, [
        T("just me, one night jan 9", says=[people(1), on(9, 1)], not_says=[r"how many"]),
    ]),
    C("en-party-06", "party_size", INN, [
        T("2 adults + 1 kid, feb 5 to feb 7", says=[people(3), r"king|suite"], not_says=[r"how many"]),
        T("king", says=[NAME_Q]),
        *ending("Chris Evans", "chris.evans@gmail.com", r"290"),
    ], Booked(D(2027, 2, 5), D(2027, 2, 7), 3, "deluxe")),
    C("en-party-07", "party_size", INN, [
        T("me + my wife + our baby (we'd need a crib), dec 19-21", says=[r"crib|cot|baby", on(19, 12)]),
    ]),
    C("en-party-08", "party_size", INN, [
        T("hi we are 6, need rooms jan 15-17", says=[r"2 rooms", people(3)], not_says=[r"fewer guests"]),
    ]),
]

DATES = [
    C("en-dates-01", "dates", INN, [
        T("30th to the 2nd, 2 people", says=[on(30, 12), on(2, 1), nights(3)]),
        T("queen", says=[NAME_Q]),
        *ending("Paul Young", "paul.young@gmail.com", r"285"),
    ], Booked(D(2026, 12, 30), D(2027, 1, 2), 2, "standard")),
    C("en-dates-02", "dates", INN, [
        T("3 nigths from jan 10, 2 ppl", says=[on(10, 1), on(13, 1), nights(3)]),
    ]),
    C("en-dates-03", "dates", INN, [
        T("the weekend after next, 2 adults", says=[on(11, 12) + "|" + on(12, 12), on(13, 12)]),
    ]),
    C("en-dates-04", "dates", INN, [
        T("sometime in spring for 2", says=[r"which|what dates|when|exact"]),
    ], NoBooking()),
    C("en-dates-05", "dates", INN, [
        T("from the 19th to the 16th of january", says=[r"\?", r"\b(16|19)(th)?\b|before|after"]),
    ], NoBooking()),
    C("en-dates-06", "dates", INN, [
        T("april 31 for 2 nights, 2 guests", says=[r"\?", r"april|\b3[01](st|th)?\b"]),
    ], NoBooking()),
    C("en-dates-07", "dates", INN, [
        T("next friday for 2 nights, 2 guests", says=[on(4, 12) + "|" + on(11, 12), nights(2)]),
    ]),
    C("en-dates-08", "dates", INN, [
        T("jan 3rd till the 6th, 2 guests", says=[on(3, 1), on(6, 1), nights(3)]),
    ]),
    C("en-dates-09", "dates", INN, [
        T("tomorrow for one night just me", says=[on(3, 12), nights(1)]),
    ]),
    C("en-dates-10", "dates", INN, [
        T("how much for a week in january?", says=[r"arrival day", r"7 nights"]),
        T("starting jan 10", says=[on(10, 1), on(17, 1), nights(7), r"598\.50"]),
    ]),
]

INLINE_CONTACT = [
    C("en-inline-01", "inline_contact", INN, [
        T("room for 2 jan 10-12", says=[on(10, 1)]),
        T("deluxe works, booking name Ana Torres", says=[EMAIL_Q], not_says=[r"whose name|your name"]),
        T("ana.torres@gmail.com", says=[r"ana torres", r"290"]),
        T("yes", says=DONE),
    ], Booked(D(2027, 1, 10), D(2027, 1, 12), 2, "deluxe", "Ana Torres", "ana.torres@gmail.com")),
    C("en-inline-02", "inline_contact", INN, [
        T("this is Mary Jones, mary.jones@gmail.com, +1 617 555 0199 - need a queen jan 15-17 for 2",
          says=[r"mary jones", r"190", CONFIRM_Q]),
        T("yes", says=DONE),
    ], Booked(D(2027, 1, 15), D(2027, 1, 17), 2, "standard", "Mary Jones", "mary.jones@gmail.com")),
    C("en-inline-03", "inline_contact", INN, [
        T("jan 18-20, 2 guests, king", says=[NAME_Q]),
        T("Peter Hall / peter.hall@gmail.com", says=[r"peter hall", r"290"]),
        T("yes", says=DONE),
    ], Booked(D(2027, 1, 18), D(2027, 1, 20), 2, "deluxe", "Peter Hall", "peter.hall@gmail.com")),
    C("en-inline-04", "inline_contact", INN, [
        T("book the suite jan 22-24 for 4", says=[NAME_Q]),
        T("name is Laura Wood", says=[EMAIL_Q]),
        T("laura.wood@gmail", says=[EMAIL_Q], not_says=[r"whose name|your name|last name"]),
        T("laura.wood@gmail.com", says=[r"laura wood", r"530"]),
        T("yes", says=DONE),
    ], Booked(D(2027, 1, 22), D(2027, 1, 24), 4, "suite", "Laura Wood", "laura.wood@gmail.com")),
    C("en-inline-05", "inline_contact", INN, [
        T("hi, Jack Turner here. queen room jan 26-28 for 2. email jack.turner@outlook.com",
          says=[r"jack turner", r"190", CONFIRM_Q]),
        T("yes", says=DONE),
    ], Booked(D(2027, 1, 26), D(2027, 1, 28), 2, "standard", "Jack Turner", "jack.turner@outlook.com")),
]

ROOM_CHOICE = [
    C("en-room-01", "room_choice", INN, [
        T("jan 10-12, 2 guests"),
        T("your least expensive one", says=[r"queen|name"]),
        T("Ruth Moore", says=[EMAIL_Q]),
        T("ruth.moore@gmail.com", says=[r"queen", r"190"]),
        T("yes", says=DONE),
    ], Booked(D(2027, 1, 10), D(2027, 1, 12), 2, "standard")),
    C("en-room-02", "room_choice", INN, [
        T("a room with a balcony for 2, jan 15-17", says=[r"king|deluxe", r"290"]),
    ]),
    C("en-room-03", "room_choice", INN, [
        T("two single beds please, jan 8-10 for 2", says=[r"queen|standard|twin", r"190"]),
    ]),
    C("en-room-04", "room_choice", INN, [
        T("the biggest room you have, jan 12-14, 2 of us", says=[r"suite", r"530"]),
    ]),
    C("en-room-05", "room_choice", INN, [
        T("jan 18-20 for 2"),
        T("the cheapest pls", says=[r"queen|name"]),
        T("Ben Scott", says=[EMAIL_Q]),
        T("ben.scott@gmail.com", says=[r"190"]),
        T("yes", says=DONE),
    ], Booked(D(2027, 1, 18), D(2027, 1, 20), 2, "standard")),
    C("en-room-06", "room_choice", INN, [
        T("jan 20-22 for 2"),
        T("i'll take the middle one", says=[r"king|name"]),
        T("Zoe Adams", says=[EMAIL_Q]),
        T("zoe.adams@gmail.com", says=[r"king", r"290"]),
        T("yes", says=DONE),
    ], Booked(D(2027, 1, 20), D(2027, 1, 22), 2, "deluxe")),
    C("en-room-07", "room_choice", INN, [
        T("any chance the king room is free jan 8-10? 2 of us", says=[r"yes, deluxe king is free", r"290"]),
    ]),
]

ROOM_QUESTIONS = [
    C("en-roomq-01", "room_questions", INN, [
        Fact("how many people fit in the deluxe king?", says=[r"\b3\b|three"]),
    ], NotHandedOff()),
    C("en-roomq-02", "room_questions", INN, [
        Fact("is there a bathtub in the suite?", says=[r"bath ?tub|\btub\b"]),
    ], NotHandedOff()),
    C("en-roomq-03", "room_questions", INN, [Fact("does the standard queen have a tub?", says=[r"shower"])],
      NotHandedOff()),
    C("en-roomq-04", "room_questions", INN, [Fact("which rooms have a balcony?", says=[r"king|deluxe"])],
      NotHandedOff()),
    C("en-roomq-05", "room_questions", INN, [Fact("does the suite have a view??", says=[r"view"])],
      NotHandedOff()),
]

ANSWER_FIRST = [
    C("en-first-01", "answer_first", INN, [T("how much is a room?", says=ROOMS + PRICES)]),
    C("en-first-02", "answer_first", INN, [T("rates for jan 10-12?", says=ROOMS + [r"190", r"290", r"530"])]),
    C("en-first-03", "answer_first", INN, [T("whats the price per night", says=ROOMS + PRICES)]),
    C("en-first-04", "answer_first", INN, [T("prices pls", says=ROOMS + PRICES)]),
]

HOTEL_FACTS = [
    C(f"en-facts-{i:02d}", "hotel_facts", INN, [Fact(text, says=says)], NotHandedOff())
    for i, (text, says) in enumerate([
        ("what time is breakfast", [r"breakfast"]),
        ("do u have parking", [r"parking|garage"]),
        ("wifi password?", [r"wi-?fi"]),
        ("are dogs allowed?", [r"pet|dog"]),
        ("whats your address", [r"address|boston|street|\bst\b"]),
        ("phone number for the front desk?", [r"212|\+1|phone"]),
        ("do you take amex?", [r"card|amex|american express|payment"]),
        ("cancellation policy?", [r"cancel"]),
        ("check out time?", [r"\b1[12]\b|check.?out"]),
        ("is the hotel wheelchair accessible", [r"accessib|wheelchair"]),
        ("airport shuttle from logan?", [r"airport|shuttle|transfer"]),
        ("what time can i check in", [r"check.?in|\b3\b|\b15\b"]),
    ], start=1)
] + [
    C("en-facts-13", "hotel_facts", INN, [Fact("breakfst included?", says=[r"breakfast"])], NotHandedOff()),
    C("en-facts-14", "hotel_facts", "hotel-sol", [
        Fact("hello, what time is breakfast?", says=[r"breakfast"]),
    ], NotHandedOff(), phone=OTHER_PHONE),
    C("en-facts-15", "hotel_facts", INN, [
        T("rooms for feb 3-5 for 2 of us?", says=[r"190", r"290"]),
        Fact("do you have parking?", says=[r"park", r"shall i book one of these rooms", r"standard queen"]),
        T("the king please", says=[r"deluxe king", r"name"]),
    ], NotHandedOff()),
    C("en-facts-16", "hotel_facts", INN, [
        T("rooms for feb 3-5 for 2 of us?", says=[r"190", r"290"]),
        Fact("yes please, is breakfast included?", says=[r"breakfast", r"which room would you like"]),
    ], NotHandedOff()),
]

LOOPS = [
    C("en-loops-01", "loops", INN, [
        T("i want to book", says=[r"date|when"]),
        T("blah"),
        T("dunno", says=[r"example|e\.g\.|\d+|\+1|call|phone"]),
        T("lol"),
    ], HandedOff()),
    C("en-loops-02", "loops", INN, [
        T("book jan 10 to 12", says=[r"how many|guests"]),
        T("a bunch"),
        T("not sure yet", says=[r"example|\d|\+1|call|phone"]),
        T("whatever"),
    ], HandedOff()),
    C("en-loops-03", "loops", INN, [
        T("jan 10-12 2 people queen", says=[NAME_Q]),
        T("?"),
        T("that", says=[r"example|\+1|call|phone|first and last"]),
        T("..."),
    ], HandedOff()),
    C("en-loops-04", "loops", INN, [
        T("jan 10-12 2 people queen, I'm Ana Torres", says=[EMAIL_Q]),
        T("dont have one"),
        T("no idea", says=[r"example|@|\+1|call|phone"]),
        T("nope"),
    ], HandedOff()),
]

HANDOFF = [
    C(f"en-handoff-{i:02d}", "handoff", INN, [T(text, says=[STAFF])], HandedOff())
    for i, text in enumerate([
        "can I talk to a human",
        "real person please",
        "agent",
        "let me speak to the front desk",
        "this bot is useless, get me someone",
    ], start=1)
] + [
    C("en-handoff-07", "handoff", INN, [
        T("book jan 10 to 12 for 2, standard queen", says=[r"name"]),
        T("is there a gym??", says=[r"do not know", r"finish the booking", r"name"],
          not_says=[r"didn't catch"]),
        T("never mind, i'll book later", says=[r"question earlier", STAFF]),
    ], HandedOff()),
]

LANGUAGE = [
    C("en-language-06", "language", "hotel-sol", [
        T("hello, do you speak english?", says=[r"continue in english"], not_says=[r"member of"]),
        T("we need a room for 3 adults jan 15-18", says=[r"deluxe", r"420"]),
    ], NotHandedOff()),
    C("en-language-01", "language", INN, [
        T("hi"),
        T("en español por favor", says=[r"\b(claro|puedo|ayud|espanol|hola|en que)"],
          not_says=[FALLBACK, r"\bthe\b"]),
        T("cuanto cuesta la noche?", says=[r"\b95\b", r"noche|habitacion"]),
    ], NotHandedOff()),
    C("en-language-02", "language", "hotel-sol", [
        T("English please", says=[r"\b(you|help|sure|of course|english)\b"],
          not_says=[FALLBACK, r"puedo|ayud"]),
        T("price for jan 10-12, 2 people?", says=[r"jan(uary)?", r"180"], not_says=[r"enero"]),
    ], NotHandedOff(), phone=OTHER_PHONE),
    C("en-language-03", "language", "hotel-sol", [
        T("hola"),
        T("sorry i dont speak spanish", says=[r"\b(you|help|sure|of course|english)\b"],
          not_says=[FALLBACK, r"puedo"]),
    ], NotHandedOff(), phone=OTHER_PHONE),
    C("en-language-04", "language", INN, [
        T("hola, hablan español?", says=[r"\b(si|claro|puedo|ayud|espanol)\b"],
          not_says=[FALLBACK, r"\bthe\b"]),
    ], NotHandedOff(), phone="+34611222333"),
]

EXISTING = [
    C("en-existing-01", "existing_reservation", INN, [
        T("whats the status of my booking {code}", says=[r"{code}", on(15, 1), r"confirmed"]),
    ], StillConfirmed(), existing=JANUARY),
    C("en-existing-02", "existing_reservation", INN, [
        T("cancel my reservation {code} please", says=[r"cancel"]),
        T("yes cancel it", says=[r"cancel(l)?ed"]),
    ], Cancelled(), existing=JANUARY),
    C("en-existing-03", "existing_reservation", INN, [
        T("hi can you check booking {code}", says=[EMAIL_Q], not_says=[r"linda", on(15, 1)]),
        T("linda.baker@example.com", says=[on(15, 1)]),
    ], StillConfirmed(), phone=OTHER_PHONE, existing=JANUARY),
    C("en-existing-04", "existing_reservation", INN, [
        T("booking {code}, what dates was it?", says=[EMAIL_Q]),
        T("dont remember"),
    ], (NothingRevealed(), StillConfirmed()), phone=OTHER_PHONE, existing=JANUARY),
    C("en-existing-05", "existing_reservation", INN, [
        T("{code} cancel it", says=[EMAIL_Q]),
        T("someone@gmail.com"),
    ], (NothingRevealed(), StillConfirmed()), phone=OTHER_PHONE, existing=JANUARY),
    C("en-existing-06", "existing_reservation", INN, [
        T("when is my check in? booking {code}", says=[on(15, 1)]),
    ], StillConfirmed(), existing=JANUARY),
]

LATE_CHECKOUT = [
    C(f"en-late-{i:02d}", "late_checkout", INN, [T(text, says=[LATE_OK])],
      LateCheckoutRequested(), existing=IN_HOUSE)
    for i, text in enumerate([
        "can I check out late on my last day?",
        "late checkout possible? booking {code}",
        "could we keep the room until 2pm on sunday?",
        "is a 1pm checkout ok for {code}?",
    ], start=1)
]

SINGLE_QUESTION = [
    C(f"en-single-{i:02d}", "single_question", INN, [T(text, says=says)], NoBooking())
    for i, (text, says) in enumerate([
        ("price for 2 adults 3 nights from dec 18?", [on(18, 12), on(21, 12), r"285"]),
        ("any rooms tonight?", [on(2, 12), r"\b95\b"]),
        ("availability this weekend for 2?", ["|".join(on(d, 12) for d in (4, 5, 6)), r"\b(95|190)\b"]),
        ("how much is the suite jan 10-12?", [on(10, 1), r"530"]),
        ("king room for new years eve?", [on(31, 12), r"\b145\b"]),
        ("rates for 3 people jan 15-17", [on(15, 1), r"290", r"530"]),
        ("do you have anything dec 24 to 26?", [on(24, 12), r"190"]),
        ("queen room 1 week from jan 4?", [on(4, 1), r"598"]),
        ("how much for 2 nights next weekend", [r"dec(ember)?", r"190"]),
        ("is there space tomorrow night for one?", [on(3, 12), r"\b95\b"]),
        ("feb 14-16 for a couple, price?", [on(14, 2), r"190", r"290"]),
        ("cheapest room for jan 20-23?", [on(20, 1), r"285"]),
        ("family of 4, dec 27-29, how much?", [on(27, 12), r"530"]),
        ("price check: deluxe king, march 5 to march 8", [on(5, 3), r"435"]),
        ("rooms available the day after tomorrow for 2 nights?", [on(4, 12), r"190"]),
        ("how much is a room for 2 on december 12?", [on(12, 12), r"\b95\b"]),
    ], start=1)
]

CONVERSATIONS = (BOOKING_HAPPY + CORRECTIONS + PARTY_SIZE + DATES + INLINE_CONTACT + ROOM_CHOICE
                 + ROOM_QUESTIONS + ANSWER_FIRST + HOTEL_FACTS + LOOPS + HANDOFF + LANGUAGE + EXISTING
                 + LATE_CHECKOUT + SINGLE_QUESTION)
