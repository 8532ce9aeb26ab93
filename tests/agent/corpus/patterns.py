"""Tolerant regexes for the facts a guest checks: a day of a month, a party size."""

ES_MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
             "octubre", "noviembre", "diciembre"]
EN_MONTHS = ["jan(uary)?", "feb(ruary)?", "mar(ch)?", "apr(il)?", "may", "june?", "july?", "aug(ust)?",
             "sep(tember)?", "oct(ober)?", "nov(ember)?", "dec(ember)?"]


def es_on(day: int, month: int) -> str:
    """"18 de diciembre", "18 diciembre", "diciembre 18" or "18/12"."""
    name = ES_MONTHS[month - 1]
    return rf"\b{day}\b.{{0,6}}{name}|{name}.{{0,4}}\b{day}\b|\b0?{day}/0?{month}\b"


def en_on(day: int, month: int) -> str:
    """"December 18", "Dec 18th", "18 December" or "12/18"."""
    name = EN_MONTHS[month - 1]
    ordinal = rf"\b{day}(st|nd|rd|th)?\b"
    return rf"\b{name}\b.{{0,4}}{ordinal}|{ordinal}.{{0,6}}\b{name}\b|\b0?{month}/0?{day}\b"


def es_people(n: int) -> str:
    words = {1: "una", 2: "dos", 3: "tres", 4: "cuatro"}
    # "(hasta 2 personas)" is a room's capacity, not the party the agent understood
    return rf"(?<!hasta )\b({n}|{words[n]}) (personas?|huespedes?|adultos?)|personas: {n}|para {n}\b"


def en_people(n: int) -> str:
    words = {1: "one", 2: "two", 3: "three", 4: "four"}
    # "(up to 2 guests)" is a room's capacity, not the party the agent understood
    return rf"(?<!up to )\b({n}|{words[n]}) (guests?|people|persons?|adults?)|guests: {n}|for {n}\b"


def es_nights(n: int) -> str:
    return rf"\b{n} noches?|noches: {n}"


def en_nights(n: int) -> str:
    return rf"\b{n} nights?|nights: {n}"
