"""Email, phone, name and reservation code in a guest's message."""
import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .text import normalize

EMAIL_RE = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_LOOSE_EMAIL_RE = re.compile(r"\S+@\S+")
CODE_RE = re.compile(r"\b(?:[Hh][Aa]-?|HA\s)([2-9A-HJ-NP-Za-hj-np-z]{6})\b")
_PHONE_RE = re.compile(r"(?<![\w@])(?:\+|\(\+?)?\d[\d\s().-]{7,}\d(?![\w@])")
_DATE_LIKE_RE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}")


def extract_email(text: str) -> str | None:
    """A well-formed address, also when spelled out ("luis at hotmail dot com")."""
    return _read_email(text or "").email


# Providers most guests use: a near miss of one ("gmial.com") is worth a "did you mean".
COMMON_DOMAINS = (
    "gmail.com", "hotmail.com", "outlook.com", "yahoo.com", "icloud.com", "live.com", "hotmail.es",
    "yahoo.es",
)
_COM_TYPOS = {"co", "cm", "con", "comm", "om", "cpm", "vom", "xom", "coom", "cim", "cmo"}
_SPELLED_EMAIL_RE = re.compile(
    r"(?<![\w.@])([\w.%+'-]+?)\s*(?:\s(?:at|arroba)\s|\(at\)|\[at\]|@)\s*"
    r"([a-z0-9-]+(?:(?:\s+(?:dot|punto)\s+|\s*\.\s*)[a-z0-9-]+)+)",
    re.IGNORECASE,
)
_SPACED_EMAIL_RE = re.compile(
    r"(?<![\w.@])([\w.%+'-]{2,})\s+(" + "|".join(re.escape(d) for d in COMMON_DOMAINS) + r")\b",
    re.IGNORECASE,
)
_BROKEN_EMAIL_RE = re.compile(r"([\w.%+'-]*)@([\w.-]*)")
_NOT_A_LOCAL_PART = {
    "is", "es", "email", "e-mail", "correo", "mail", "my", "mi", "the", "el", "at", "en", "y", "and", "a",
    "su", "your", "tu", "use", "usa", "arroba",
}


@dataclass(frozen=True)
class EmailReading:
    email: str | None = None
    problem: str | None = None  # missing_domain, missing_domain_suffix, missing_local_part, invalid
    suggestion: str | None = None
    span: tuple[int, int] | None = None


def _domain_suggestion(domain: str) -> str | None:
    """The common provider a domain nearly spells, when it is not one itself."""
    if domain in COMMON_DOMAINS or domain.count(".") != 1:
        return None
    name, tld = domain.split(".")
    for common in COMMON_DOMAINS:
        if common.split(".")[0] == name:
            return common if tld in _COM_TYPOS and common.endswith(".com") else None
    best = process.extractOne(domain, COMMON_DOMAINS, scorer=fuzz.ratio, score_cutoff=85)
    return best[0] if best else None


def _suffix_for(name: str) -> str | None:
    """"hotmail" → "hotmail.com": the provider a domain without its ending names."""
    names = [common.split(".")[0] for common in COMMON_DOMAINS]
    best = process.extractOne(name.lower(), names, scorer=fuzz.ratio, score_cutoff=80)
    return COMMON_DOMAINS[best[2]] if best else None


def _found(email: str, span: tuple[int, int]) -> EmailReading:
    email = email.strip(".").lower()
    local, domain = email.rsplit("@", 1)
    suggestion = _domain_suggestion(domain)
    return EmailReading(email, None, f"{local}@{suggestion}" if suggestion else None, span)


def _spelled_email(text: str) -> EmailReading | None:
    """"luis.pardo at hotmail dot com", "luis.pardo@ hotmail.com", "luis.pardo hotmail.com"."""
    for match in _SPELLED_EMAIL_RE.finditer(text):
        local, domain = match.group(1), re.sub(r"\s*(?:\s(?:dot|punto)\s|\.)\s*", ".", match.group(2).lower())
        said_at = "@" not in match.group(0)
        spelled = " dot " in match.group(0) or " punto " in match.group(0)
        clear = not said_at or domain in COMMON_DOMAINS or re.search(r"[\d._]", local) or spelled
        if clear and local.lower() not in _NOT_A_LOCAL_PART and EMAIL_RE.fullmatch(f"{local}@{domain}"):
            return _found(f"{local}@{domain}", match.span())
    match = _SPACED_EMAIL_RE.search(text)
    if match and match.group(1).lower() not in _NOT_A_LOCAL_PART and "@" not in match.group(0):
        return _found(f"{match.group(1)}@{match.group(2)}", match.span())
    return None


def _broken_email(text: str) -> EmailReading | None:
    match = _BROKEN_EMAIL_RE.search(text)
    if not match:
        return None
    local, domain = match.group(1).strip("."), match.group(2).strip(".")
    if not local:
        return EmailReading(None, "missing_local_part", None, match.span())
    if not domain:
        return EmailReading(None, "missing_domain", None, match.span())
    if "." not in domain:
        common = _suffix_for(domain)
        return EmailReading(None, "missing_domain_suffix", f"{local.lower()}@{common}" if common else None,
                            match.span())
    return EmailReading(None, "invalid", None, match.span())


def _read_email(text: str) -> EmailReading:
    """The address in a message, or what is wrong with the one the guest tried."""
    match = EMAIL_RE.search(text)
    if match:
        return _found(match.group(0), match.span())
    return _spelled_email(text) or _broken_email(text) or EmailReading()


def without_emails(text: str) -> str:
    """The text with every address, good, broken or spelled, blanked."""
    while True:
        span = _read_email(text).span
        if not span:
            return text
        text = text[:span[0]] + " " * (span[1] - span[0]) + text[span[1]:]


def looks_like_email_attempt(text: str) -> bool:
    """Something with an @ that is not a valid address: worth a "that email looks wrong"."""
    return bool(_LOOSE_EMAIL_RE.search(text or "")) and extract_email(text) is None


def extract_code(text: str) -> str | None:
    """A reservation code in any case, with or without its dash ("ha-7k3q9m")."""
    match = CODE_RE.search(text or "")
    return f"HA-{match.group(1).upper()}" if match else None


_CODE_SHAPED_RE = re.compile(r"\b[Hh][Aa][-\s]?([A-Za-z0-9]{5,7})\b")


def mistyped_code(text: str) -> str | None:
    """"HA-XXXX12": shaped like a reservation code but not one (a 0, 1, O or I,
    which codes never have, or a character too many or too few), as typed."""
    if extract_code(text):
        return None
    match = _CODE_SHAPED_RE.search(text or "")
    if match and any(ch.isdigit() for ch in match.group(1)):
        return match.group(0).upper()
    return None


def phone_matches(text: str):
    for match in _PHONE_RE.finditer(text or ""):
        digits = re.sub(r"\D", "", match.group(0))
        if 9 <= len(digits) <= 15 and not _DATE_LIKE_RE.search(match.group(0)):
            yield match


def without_codes(text: str) -> str:
    """The text with reservation codes blanked: "HA-Y2K3PF" holds no Spanish "y"
    and "HA-CANCEL" asks to cancel nothing."""
    return CODE_RE.sub(" ", text or "")


def extract_phone(text: str) -> str | None:
    """A phone-looking run of at least nine digits, as typed; the booking service
    normalizes and validates it with the hotel's country."""
    for match in phone_matches(text):
        return match.group(0).strip()
    return None


_SHORT_PHONE_RE = re.compile(r"(?<![\w@.,/:])(?:\+|\(\+?)?\d[\d\s().-]*\d(?![\w@.,/:])")
_PHONE_WORDS_RE = re.compile(
    r"\b(?:telefono|tlf|tfno|tel|movil|celular|cel|whats?app|wasap|numero|phone|mobile|cell|number|call|llamar)\b"
)


def phone_problem(text: str) -> str | None:
    """"too_short" / "too_long" when the guest clearly tried a phone number that cannot be one."""
    if extract_phone(text):
        return None
    folded = normalize(text or "")
    for match in _SHORT_PHONE_RE.finditer(folded):
        digits = re.sub(r"\D", "", match.group(0))
        meant = _PHONE_WORDS_RE.search(folded) or match.group(0).startswith(("+", "(")) or (
            match.group(0).strip() == folded.strip(" .")
        )
        if not meant or _DATE_LIKE_RE.search(match.group(0)):
            continue
        if 4 <= len(digits) <= 8:
            return "too_short"
        if len(digits) > 15:
            return "too_long"
    return None


_NAME_INTRO_RE = re.compile(
    r"(?:me\s+llamo|mi\s+nombre\s+es|a\s+nombre\s+de|nombre\s*:|my\s+name\s+is|my\s+name's|name\s*:"
    r"|under\s+the\s+name(?:\s+of)?|in\s+the\s+name\s+of|the\s+name\s+is|(?:booking|reservation)\s+name(?:\s+is)?"
    r"|nombre\s+de\s+la\s+reserva(?:\s+es)?|(?:^|(?<=[\s,.]))name\s+is|nombre\s+es|put\s+it\s+under"
    r"|the\s+booking\s+is\s+for|la\s+reserva\s+(?:es\s+)?para)\s+",
    re.IGNORECASE,
)
# "soy Luis Pardo", "this is Mary Jones", "I'm Ana Torres": an introduction when a name follows.
_SELF_INTRO_RE = re.compile(
    r"(?:^|(?<=[\s,.!¡]))(?:soy|yo\s+soy|i'?m|i\s+am|this\s+is|aqui)\s+", re.IGNORECASE
)
_NOT_A_NAME_START = set("""
a an the de del el la los las un una unos looking interested traveling travelling coming going here not
sorry arriving staying from back new just very so also really trying wondering calling writing planning
cliente huesped nuevo nueva interesado interesada buscando de viaje llegando aqui alli ok okay fine good
happy glad sure the in at on for with tu su vuestro vuestra your english spanish
""".split())  # noqa: SIM905
_LOOSE_INTRO_RE = re.compile(
    r"^\s*(?:soy|yo\s+soy|es|i'?m|i\s+am|it'?s|this\s+is|name)\s+", re.IGNORECASE
)
_NAME_WORD = r"[^\W\d_](?:[^\W\d_]|['’.\-])*"
_HERE_RE = re.compile(
    rf"(?:^|(?<=[\s,.!]))({_NAME_WORD}\s+{_NAME_WORD})\s+(?:here|al\s+habla)\b", re.IGNORECASE
)
_NAME_RE = re.compile(rf"{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,5}}")
_NAME_STOP_WORDS = {
    "y", "e", "and", "mi", "my", "con", "with", "email", "correo", "mail", "para", "for", "telefono",
    "phone", "el", "la", "from", "de", "del", "por", "gracias", "thanks", "please", "porfa", "favor",
}


def _clean_name(candidate: str) -> str | None:
    match = _NAME_RE.match(candidate.strip())
    if not match:
        return None
    words = []
    for word in match.group(0).split():
        if normalize(word) in _NAME_STOP_WORDS:
            break
        words.append(word)
    if not words:
        return None
    name = " ".join(words).strip(" .-'")
    name = re.sub(r"^(?:is|es)\s+", "", name, flags=re.IGNORECASE)  # "name is Laura Wood"
    if len(name) > 150:
        return None
    if name and name == name.lower():
        name = name.title()
    return name or None


def _introduced_name(text: str) -> str | None:
    """"soy Luis Pardo", "Jack Turner here", "Maria Lopez, maria@…": a name the
    guest gives alongside other things, without being asked."""
    for match in _SELF_INTRO_RE.finditer(text):
        rest = text[match.end():]
        first = normalize(rest.split()[0]) if rest.split() else ""
        if first and first not in _NOT_A_NAME_START and not first[0].isdigit():
            name = _clean_name(re.split(r"[,;:.!?()]|\s-\s", rest)[0])
            if name and 1 <= len(name.split()) <= 4 and looks_like_a_name(name):
                return name
    match = _HERE_RE.search(text)
    if match and looks_like_a_name(match.group(1)):
        return _clean_name(match.group(1))
    return _name_beside_email(text)


# Words guests answer with that are never a name: yes/no, greetings, rooms, questions.
_NOT_A_NAME_WORDS = set("""
si no ok okay vale perfecto perfecta perfect great genial bien gracias thanks thank you yes yeah yep nope sure
hola hello hi hey buenas buenos dias tardes noches morning afternoon evening bye adios claro of course
cheapest barata barato cheap deluxe suite standard estandar doble double single individual habitacion room
mejor better best quiero want need necesito reservar book booking reserva cambiar change cancelar cancel
que what when where how which why who cuanto cuanta cuando donde como cual quien can could tienen tiene hay
precio price tomorrow today tonight manana hoy next proximo nights noche night personas people us nosotros
it this that esta este eso
""".split())  # noqa: SIM905


def looks_like_a_name(name: str) -> bool:
    words = [normalize(word) for word in name.split()]
    if any(re.search(r"[^\W\d_]\.[^\W\d_]", word) for word in words):  # "luis.pardo" is an email's half
        return False
    return not any(
        word in _NOT_A_NAME_START or word in _NAME_STOP_WORDS or word in _NOT_A_NAME_WORDS for word in words
    )


def _name_beside_email(text: str) -> str | None:
    """"…, Maria Lopez, maria.lopez@gmail.com": two or three capitalized words
    right before an email are the name the email belongs to."""
    email = EMAIL_RE.search(text)
    if not email:
        return None
    before = re.split(r"[,;:.!?()]", text[:email.start()].rstrip(" ,;:-"))[-1].strip()
    words = before.split()
    if 2 <= len(words) <= 3 and all(word[:1].isupper() for word in words) and looks_like_a_name(before):
        return _clean_name(before)
    return None


def extract_name(text: str, *, expecting: bool = False) -> str | None:
    """The guest's name when they introduce themselves ("me llamo Ana García",
    "my name is John Smith"). When the agent has just asked for the name
    (`expecting`), a bare "Ana García" counts too; email and phone are left out."""
    text = text or ""
    match = _NAME_INTRO_RE.search(text)
    if match:
        name = _clean_name(text[match.end():])
        return name if name and looks_like_a_name(name) else None
    introduced = _introduced_name(text)
    if introduced or not expecting:
        return introduced
    if "?" in text or "¿" in text:
        return None
    rest = without_emails(text)
    for match in reversed(list(phone_matches(rest))):
        rest = rest[:match.start()] + " " + rest[match.end():]
    rest = _LOOSE_INTRO_RE.sub("", rest)
    rest = re.sub(r"[,;:!¡?¿()]+", " ", rest).strip()
    if not rest or re.search(r"\d|@", rest) or len(rest.split()) > 6:
        return None
    name = _clean_name(rest)
    return name if name and looks_like_a_name(name) else None


@dataclass(frozen=True)
class Contact:
    """Every contact slot one message fills, and what is wrong with what it tried."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None
    email_problem: str | None = None
    phone_problem: str | None = None
    email_suggestion: str | None = None


def read_contact(text: str, *, expecting_name: bool = False) -> Contact:
    """Name, email and phone from one message ("Ana Torres ana@gmail.com 612345678").
    A bare name counts only when `expecting_name`, or beside an email; an
    introduced one ("soy Luis Pardo") always does."""
    text = text or ""
    email = _read_email(text)
    return Contact(
        name=extract_name(text, expecting=expecting_name),
        email=email.email,
        phone=extract_phone(text),
        email_problem=email.problem,
        phone_problem=phone_problem(text),
        email_suggestion=email.suggestion,
    )
