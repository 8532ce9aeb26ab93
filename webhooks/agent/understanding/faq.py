"""Which of a hotel's FAQ answers a guest's message asks for, if any.

Two kinds of evidence, read over the folded text (no accents, lower case):
the words guests use for each topic ("aparcar", "parkin", "wify", "can i bring
my dog"), tolerant of a typo in words of five letters or more, and how close the
message is to the questions staff wrote for each entry (rapidfuzz), which is what
lets entries of topic "other" ("¿tenéis gimnasio?") be found at all.

Booking talk is never an FAQ: a reservation code, "reservar", a room's
availability or a stay's dates and nights make this return None, and so do
"cancel my booking" requests (the cancel flow's), greetings and bare answers.
Pure: entries are anything with topic, language, questions and answer.
"""
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import DamerauLevenshtein

from .contact import CODE_RE
from .text import fold

STRONG, WEAK, PHRASE = 95, 85, 100
THRESHOLD = 85
FUZZY_THRESHOLD = 88


@dataclass(frozen=True)
class FaqMatch:
    entry: Any
    score: float


@dataclass(frozen=True)
class _Topic:
    words: frozenset[str] = frozenset()  # single folded words, a typo allowed in long ones
    weak: frozenset[str] = frozenset()  # words that say the topic only when nothing says more
    phrases: re.Pattern | None = None  # over the folded text
    # The words a typo may reach (five letters or more), by first letter: _close
    # needs both, so a guest's word is compared with a few keywords, not all of them.
    near: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, hash=False)

    def has(self, word: str) -> bool:
        if word in self.words:
            return True
        return (len(word) >= 5 and word not in REAL_WORDS_NEAR_KEYWORDS
                and any(_close(word, keyword) for keyword in self.near.get(word[0], ())))


def _topic(words: str = "", weak: str = "", phrases: tuple[str, ...] = ()) -> _Topic:
    near: dict[str, list[str]] = {}
    for word in sorted(set(words.split())):
        if len(word) >= 5:
            near.setdefault(word[0], []).append(word)
    return _Topic(
        words=frozenset(words.split()), weak=frozenset(weak.split()),
        phrases=re.compile(r"\b(?:" + "|".join(phrases) + r")\b") if phrases else None,
        near={initial: tuple(group) for initial, group in near.items()},
    )


TOPICS: dict[str, _Topic] = {
    "late_checkout": _topic(
        "latecheckout",
        phrases=(
            r"late\s+checkout", r"later\s+checkout", r"checkout\s+(?:mas\s+)?(?:tarde|tardio)",
            r"checkout\s+(?:at|a\s+las)\s+\d", r"salida\s+tardia", r"salir\s+(?:un\s+poco\s+)?mas\s+tarde",
            r"salir\s+(?:a\s+las|tarde)", r"dejar\s+la\s+habitacion\s+(?:mas\s+)?tarde",
            r"quedar(?:me|nos)\s+(?:en\s+la\s+habitacion\s+)?(?:hasta\s+)?mas\s+tarde",
            r"(?:stay|leave)\s+(?:in\s+the\s+room\s+)?(?:a\s+bit\s+)?later", r"extend\s+(?:the\s+)?checkout",
            r"late\s+departure", r"keep\s+the\s+room\s+(?:until|till|later)", r"checkout\s+later",
            r"late\s+check",
        ),
    ),
    "check_in_out": _topic(
        "checkin checkout", weak="entrada salida llegada",
        phrases=(
            r"hora\s+de\s+(?:entrada|salida|llegada)",
            r"a\s+que\s+hora\s+(?:puedo\s+|podemos\s+|se\s+puede\s+)?"
            r"(?:entrar|llegar|salir|dejar\s+la\s+habitacion)",
            r"what\s+time\s+(?:can|should|do)\s+(?:i|we)\s+"
            r"(?:arrive|come|leave)", r"early\s+check", r"llegar\s+tarde", r"llegamos\s+tarde",
            r"llego\s+tarde",
            r"(?:hay\s+que|tengo\s+que|tenemos\s+que)\s+(?:dejar\s+la\s+habitacion|salir|irnos)",
            r"(?:when|what\s+time)\s+(?:do|must|should)\s+(?:i|we)\s+(?:check\s*out|leave|vacate)",
            r"arrive\s+late", r"late\s+arrival", r"recepcion\s+24", r"24\s*h\w*\s+reception",
        ),
    ),
    "breakfast": _topic(
        "desayuno desayunos desayunar desayunais desayunan breakfast breakfasts brekfast buffet bufet brunch",
        phrases=(r"is\s+breakfast\s+included", r"comer\s+por\s+la\s+manana"),
    ),
    "parking": _topic(
        "aparcar aparcamiento aparcamientos parking parkings estacionamiento estacionar garaje garage "
        "parquear parqueo aparco valet",
        phrases=(r"car\s+park", r"park\s+(?:my|the|our)\s+car",
                 r"where\s+(?:can|do|should)\s+(?:i|we)\s+park",
                 r"(?:can|could)\s+(?:i|we)\s+park", r"dejar\s+el\s+coche", r"dejo\s+el\s+coche",
                 r"leave\s+(?:my|the|our)\s+car", r"park\s+nearby", r"plaza\s+de\s+garaje"),
    ),
    "wifi": _topic(
        "wifi wify wiffi wiifi wfi wiif internet wlan router",
        phrases=(r"wi\s*fi", r"contrasena\s+del?\s+(?:wifi|internet|la\s+red)",
                 r"clave\s+del?\s+(?:wifi|la\s+red)",
                 r"nombre\s+de\s+la\s+red", r"network\s+name", r"wifi\s+password",
                 r"password\s+for\s+the\s+wifi"),
    ),
    "pets": _topic(
        "perro perros perrito perrita perritos perrita mascota mascotas gato gatos gatito animal animales "
        "pet pets dog dogs cat cats puppy doggy",
        phrases=(r"pet\s+friendly", r"admiten\s+(?:perros|mascotas|animales)"),
    ),
    "payment": _topic(
        "tarjeta tarjetas efectivo bizum card cards cash visa mastercard amex paypal credit debit "
        "contactless datafono cheque cheques metalico",
        weak="pagar pago pagos pay payment payments pagos fianza deposito deposit",
        phrases=(r"american\s+express", r"apple\s+pay", r"google\s+pay", r"(?:metodos?|formas?)\s+de\s+pago",
                 r"payment\s+methods?",
                 r"pagar\s+(?:al\s+llegar|a\s+la\s+llegada|en\s+el\s+hotel|con|en)", r"pay\s+(?:by|with|in)"),
    ),
    "cancellation": _topic(
        "cancelacion cancelaciones cancellation cancellations reembolso reembolsable reembolsables refund "
        "refundable nonrefundable",
        phrases=(r"cancelar\s+(?:gratis|sin)", r"free\s+cancel\w*", r"cancel\s+(?:for\s+free|without)",
                 r"(?:puedo|podemos|se\s+puede|hasta\s+cuando)\s+(?:\w+\s+)?cancelar",
                 r"can\s+(?:i|we)\s+cancel",
                 r"until\s+when\s+can", r"how\s+late\s+can\s+(?:i|we)\s+cancel", r"politica\s+de\s+cancel\w*",
                 r"cancel\w*\s+policy", r"anular\s+gratis"),
    ),
    "phone": _topic(
        "telefono telefonos phone", weak="llamar llamaros llamarles call contacto",
        phrases=(r"numero\s+de\s+(?:telefono|contacto|movil)", r"phone\s+number", r"contact\s+number",
                 r"telephone", r"ring\s+you", r"os\s+llamo", r"les\s+llamo",
                 r"(?:vuestro|su|tu|your|hotel|hotels|the)\s+(?:email|e\s*mail|correo)", r"email\s+address",
                 r"(?:email|correo)\s+del\s+hotel"),
    ),
    "address": _topic(
        "direccion address ubicacion ubicados ubicado ubicada situado situados localizacion location located",
        phrases=(r"donde\s+(?:estais|estan|esta\s+el\s+hotel|queda|se\s+encuentra)", r"where\s+are\s+you",
                 r"where\s+is\s+the\s+hotel", r"codigo\s+postal", r"post\s*code", r"zip\s+code",
                 r"google\s+maps",
                 r"en\s+que\s+calle", r"what\s+street", r"in\s+what\s+area", r"en\s+que\s+zona"),
    ),
    "directions": _topic(
        "directions indicaciones",
        weak="aeropuerto airport estacion station metro tren train autobus bus taxi uber subway lejos",
        phrases=(r"como\s+(?:llego|llegar|llegamos|se\s+llega|ir|voy|vamos|puedo\s+llegar)",
                 r"how\s+(?:do|can|should)\s+(?:i|we)\s+get", r"how\s+to\s+(?:get|reach|find)",
                 r"get\s+there",
                 r"get\s+to\s+(?:the\s+|your\s+)?hotel", r"desde\s+el\s+aeropuerto",
                 r"from\s+the\s+(?:airport|station)",
                 r"desde\s+la\s+estacion", r"how\s+far", r"cuanto\s+se\s+tarda", r"transporte\s+publico",
                 r"public\s+transport", r"distancia", r"distance"),
    ),
    "airport_transfer": _topic(
        "traslado traslados transfer transfers shuttle lanzadera recogida chofer",
        phrases=(r"recoger(?:me|nos)", r"venir\s+a\s+buscar(?:me|nos)", r"pick\s+(?:me|us)\s+up",
                 r"pick\s*ups?",
                 r"servicio\s+(?:de|al)\s+aeropuerto", r"airport\s+(?:service|car|ride)",
                 r"transporte\s+(?:al|desde\s+el|del)\s+aeropuerto", r"car\s+service"),
    ),
    "accessibility": _topic(
        "accesible accesibles accesibilidad accessible accessibility wheelchair ascensor ascensores elevador "
        "elevator elevators lift minusvalido minusvalidos discapacidad discapacitado disabled disability "
        "rampa ramp escalones escaleras stairs adaptada adaptadas",
        phrases=(r"silla\s+de\s+ruedas", r"movilidad\s+reducida", r"reduced\s+mobility", r"adapted\s+room",
                 r"barrier\s+free", r"step\s+free"),
    ),
}

# Booking talk: the booking, availability and cancel flows own these messages.
_BOOKING = re.compile(
    r"\b(?:reservar\w*|reservo|reservame|hacer\s+(?:una\s+)?reserva|book\s+(?:a|the|one|two|\d)\b"
    r"|i\s+want\s+to\s+book|like\s+to\s+book|disponibilidad|availability|any\s+rooms?|rooms?\s+(?:available|free)"
    r"|habitacion\w*\s+(?:libres?|disponibles?)|hay\s+(?:habitacion\w*|sitio|hueco)"
    r"|do\s+you\s+have\s+(?:a\s+|any\s+)?rooms?|del\s+\d{1,2}\s+al\s+\d{1,2}|from\s+the\s+\d{1,2}\w*\s+to"
    r"|\d+\s+(?:noches?|nights?)|(?:una|dos|tres|one|two|three)\s+(?:noches?|nights?))\b"
)
_CANCEL_REQUEST = re.compile(
    r"\b(?:quiero|quisiera|necesito|quiero|deseo|puedes|podeis|por\s+favor)\s+(?:\w+\s+)?(?:cancelar|anular)\b"
    r"|\b(?:cancela|cancelad|cancelame|anula)\s+(?:mi|la|el)\b|\b(?:cancelar|anular)\s+(?:mi|la)\s+reserva\b"
    r"|\bcancel\s+(?:my|the|our)\s+(?:booking|reservation|room|stay)\b"
    r"|\b(?:want|need|like|please)\s+(?:to\s+)?cancel\b"
)
_POLICY = re.compile(r"\b(?:politica|policy|gratis|free|reembols\w*|refund\w*|penaliz\w*|fee|charge\w*|cargo"
                     r"|antelacion|advance|hasta\s+cuando|until\s+when|deadline|condiciones|terms)\b")
# Price words make "pagar" ask how much, not how.
_PRICE = re.compile(r"\b(?:cuanto|how\s+much|precio|price|cost\w*|cuesta)\b")
_JOINS = [
    (re.compile(r"\bche?c?k\s*-?\s*(in|out)\b"), r"check\1"),
    (re.compile(r"\bwi\s*-\s*fi\b"), "wifi"),
    (re.compile(r"\bpet\s*-\s*friendly\b"), "pet friendly"),
]

def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Everyday words one typo from a keyword, found by running the 8,000 commonest
# English and Spanish words (wordfreq) through `_Topic.has`: "a bunch" is not
# "brunch", "Pedro" not "perro", "¿cuánto valen?" not "valet". Misspellings that
# mean the topic ("direction", "perra", "phones") are left to match.
REAL_WORDS_NEAR_KEYWORDS = _word_set(
    "effective stars route routes branch bunch debut directors cares gates perry garbage roster packing "
    "transform prone "
    "pedro parque parques estacion estaciones ejecutivo gastos debia debio caras debil tratados permita "
    "apartamento choque valen directos"
)


STOP_WORDS = {
    "es": _word_set(
        "a al algo algun alguna como con de del el en es esta este esto hay la las le les lo los me mi mis "
        "nos o os para pero por que q se si sus su tal te teneis tienen tiene tienes un una unos unas "
        "vuestro vuestra y ya hola buenas buenos dias tardes noches gracias favor porfa pf ok vale hotel "
        "puedo podemos puede saber quisiera queria quiero pregunta duda info informacion ahi alli "
        "ustedes"
    ),
    "en": _word_set(
        "a an and any are at be can could do does for from have has hello hey hi how i if in is it me my of "
        "on or our please pls the there to u us we what when where which will with would you your yes no "
        "ok okay thanks thank hotel question info just"
    ),
}
_ALL_STOP_WORDS = STOP_WORDS["es"] | STOP_WORDS["en"]


def _prepare(text: str) -> str:
    folded = fold(CODE_RE.sub(" ", text or ""))
    folded = re.sub(r"[^\w\s]", " ", folded)
    for pattern, replacement in _JOINS:
        folded = pattern.sub(replacement, folded)
    return re.sub(r"\s+", " ", folded).strip()


def _content(text: str) -> list[str]:
    return [word for word in text.split() if word not in _ALL_STOP_WORDS]


def _close(word: str, keyword: str) -> bool:
    """One typo in a word of five to eight letters, two in a longer one; the first
    letter must agree ("datos" is not "gatos")."""
    if word == keyword:
        return True
    if len(word) < 5 or len(keyword) < 5 or word[0] != keyword[0]:
        return False
    allowed = 1 if max(len(word), len(keyword)) <= 8 else 2
    return DamerauLevenshtein.distance(word, keyword, score_cutoff=allowed) <= allowed


def _keyword_scores(text: str) -> dict[str, float]:
    words = text.split()
    priced = bool(_PRICE.search(text))
    scores: dict[str, float] = {}
    for name, topic in TOPICS.items():
        hits: list[float] = []
        if topic.phrases is not None:
            hits += [PHRASE] * len(topic.phrases.findall(text))
        hits += [STRONG for word in words if topic.has(word)]
        if not priced:
            hits += [WEAK for word in words if word in topic.weak]
        if hits:
            # More evidence breaks ties: "como llego desde el aeropuerto" is directions, not a shuttle.
            scores[name] = max(hits) + min(len(hits) - 1, 4)
    return scores


def _question_score(content: list[str], question: str) -> float:
    asked = _content(_prepare(question))
    if not content or not asked:
        return 0.0
    score = fuzz.token_sort_ratio(" ".join(content), " ".join(asked))
    if len(set(content) & set(asked)) >= 2:
        score = max(score, fuzz.token_set_ratio(" ".join(content), " ".join(asked)))
    return score if len("".join(content)) >= 3 else 0.0


def _is_booking_talk(text: str, original: str) -> bool:
    if CODE_RE.search(original or "") or _BOOKING.search(text):
        return True
    return bool(_CANCEL_REQUEST.search(text)) and not _POLICY.search(text)


def names_a_topic(text: str) -> bool:
    """Some word of `text` is, exactly, a word guests use for a topic ("Desayuno
    Incluido" asks; "Pedro Ruiz", one typo from "perro", does not)."""
    return any(word in topic.words or word in topic.weak
               for word in _prepare(text).split() for topic in TOPICS.values())


def match_faq(text: str, entries: Sequence, language: str) -> FaqMatch | None:
    """The entry that answers `text` and how sure (0 to 100+), the `language` one
    first and the other language's entry of the same topic otherwise; None for
    anything that is not a question about the hotel."""
    prepared = _prepare(text)
    if not prepared or _is_booking_talk(prepared, text):
        return None
    content = _content(prepared)
    scores = _keyword_scores(prepared)
    question_scores: dict[int, float] = {}
    for index, entry in enumerate(entries):
        best = max((_question_score(content, question) for question in entry.questions), default=0.0)
        question_scores[index] = best
        if best >= FUZZY_THRESHOLD:
            scores[entry.topic] = max(scores.get(entry.topic, 0.0), best)
    for topic, score in sorted(scores.items(), key=lambda item: -item[1]):
        if score < THRESHOLD:
            break
        candidates = [(index, entry) for index, entry in enumerate(entries) if entry.topic == topic]
        if not candidates:
            continue
        # Own language first, then the closest written question, then the entries' order.
        _index, entry = min(candidates, key=lambda item: (
            item[1].language != language, -question_scores[item[0]], item[0]))
        return FaqMatch(entry=entry, score=float(score))
    return None
