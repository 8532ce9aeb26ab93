"""What a guest wants, and in which language they write.

Keyword rules over the normalized text (lower case, no accents), in Spanish and
English at once: guests mix languages, and a rule that fires on "reservar" or
"book" needs no language first. A message can carry several intents ("hola,
¿cuánto cuesta una suite?"); the engine decides which one leads, knowing what it
asked last.
"""
import re
from enum import StrEnum

from .contact import without_codes
from .text import normalize


class Intent(StrEnum):
    GREETING = "greeting"
    AVAILABILITY = "availability"
    PRICE = "price"
    BOOK = "book"
    CONFIRM = "confirm"
    DECLINE = "decline"
    CANCEL = "cancel"
    STATUS = "status"
    HOTEL_INFO = "hotel_info"
    HANDOFF = "handoff"
    THANKS = "thanks"
    HELP = "help"
    LATE_CHECKOUT = "late_checkout"
    CHANGE = "change"  # move or alter a booking that exists
    SPEAK_ENGLISH = "speak_english"
    SPEAK_SPANISH = "speak_spanish"


def _words(*alternatives: str) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


# STATUS is read from words that ask about a booking and from words that only
# say the guest holds one ("tengo una reserva"); `asks_about_its_booking` needs the first.
_STATUS_WORDS = (
    r"estado", r"status", r"consultar", r"ver\s+mi\s+reserva", r"como\s+esta\s+mi\s+reserva",
    r"mi\s+reserva", r"check\s+my\s+(?:booking|reservation)", r"my\s+(?:booking|reservation)",
    r"booking\s+details", r"detalles\s+de\s+(?:mi\s+)?reserva", r"sigue\s+en\s+pie", r"still\s+on",
)
_HOLDING_WORDS = (
    r"tengo\s+(?:una|la)\s+reserva", r"teniamos\s+(?:una\s+)?reserva", r"hice\s+una\s+reserva",
    r"i\s+(?:have|made|booked)\s+a\s+(?:booking|reservation)", r"we\s+have\s+a\s+(?:booking|reservation)",
)
_ABOUT_ITS_BOOKING_RE = _words(
    *_STATUS_WORDS, r"ver\s+la\s+reserva", r"detalles", r"details", r"check\s+(?:my|the)", r"look\s+up",
    r"confirmad[ao]", r"confirmed",
    # "when is my check in?" asks about that booking's day
    r"(?:my|our)\s+(?:check|arrival|stay|room|dates?)",
    r"(?:mi|nuestra|nuestro)\s+(?:llegada|entrada|salida|estancia|habitacion|check|fecha)",
)


def asks_about_its_booking(text: str) -> bool:
    """"¿sigue en pie?", "when is my check in?": about the booking itself, which
    needs proof; "tengo una reserva, ¿a qué hora puedo llegar?" asks the hotel."""
    return bool(_ABOUT_ITS_BOOKING_RE.search(normalize(text)))


# How a message opens with a greeting; small talk strips the same words to see
# whether a question follows.
GREETING_WORDS = (
    r"hola|holi|buenas|buenos\s+dias|buenas\s+(?:tardes|noches)|saludos|que\s+tal|hey|hi|hello"
    r"|hiya|howdy|good\s+(?:morning|afternoon|evening)|greetings"
)

_RULES: list[tuple[Intent, re.Pattern]] = [
    (Intent.GREETING, re.compile(rf"^\W*(?:{GREETING_WORDS})\b")),
    (Intent.AVAILABILITY, _words(
        r"disponib\w*", r"hay\s+(?:\w+\s+)?(?:habitacion\w*|sitio|hueco|plazas?|algo|libre\w*)",
        r"(?:teneis|tienen|tienes|os\s+queda|les\s+queda|quedan?)\s+(?:\w+\s+){0,2}(?:habitacion\w*|sitio|hueco"
        r"|algo|libres?|disponib\w*|suites?|dobles?|plazas?)",
        r"libres?", r"available", r"availability", r"vacanc\w*", r"any\s+rooms?", r"free\s+rooms?",
        r"do\s+you\s+have\s+(?:\w+\s+){0,2}(?:rooms?|availability|anything|space|suites?|vacanc\w*)",
        r"rooms?\s+free", r"is\s+there\s+a\s+room", r"have\s+a\s+room",
        r"(?:is|are)\s+there\s+(?:any\s+)?(?:space|rooms?|availability|vacanc\w*)", r"any\s+space",
        r"have\s+(?:any\s+)?space", r"hay\s+(?:lugar|espacio|cupo)",
    )),
    (Intent.PRICE, _words(
        r"precios?", r"cuanto", r"cuesta\w*", r"cuestan", r"tarifas?", r"costes?", r"costos?",
        r"que\s+(?:me\s+|nos\s+|te\s+)?vale\s+la",  # "¿qué vale la suite?"; "vale, la suite" picks it
        r"presupuesto", r"prices?", r"pricing", r"costs?", r"how\s+much", r"rates?", r"quote", r"per\s+night",
        r"por\s+noche",
    )),
    (Intent.BOOK, _words(
        r"reservar\w*", r"reservo", r"hacer\s+(?:una\s+)?reserva", r"quiero\s+(?:una\s+)?habitacion",
        r"quisiera\s+(?:una\s+)?habitacion", r"necesito\s+(?:una\s+)?habitacion", r"(?:una|otra)\s+reserva",
        r"book", r"booking",
        r"reserve", r"make\s+a\s+reservation", r"(?:want|like|need)\s+(?:a|to\s+book\s+a)\s+room",
        r"(?:can|could)\s+(?:i|we)\s+(?:get|have)\s+a\s+room",
        r"alojarme", r"alojarnos", r"stay\s+with\s+you",
    )),
    (Intent.CONFIRM, re.compile(
        # "ahora sí", once corrected; "well, yes"
        r"^\W*(?:(?:ahora|ya|pues|bueno|entonces|now|well|then|actually|oh|ah)\W+)?"
        r"(?:si+|sip|sipi|vale|ok|okay|okey|oki|claro|confirmo|confirmar|confirmado|confirma|correcto|de\s+acuerdo"
        r"|perfecto|adelante|dale|genial|por\s+supuesto|exacto|eso\s+es|asi\s+es|hazlo|yes|yeah|yep|yup"
        r"|sure|confirm|confirmed|correct|go\s+ahead|please\s+do|do\s+it|sounds\s+good|great|perfect"
        r"|of\s+course|absolutely|definitely)\b(?!\s+(?:pero|but)\b)"
    )),
    (Intent.DECLINE, re.compile(
        # "que no", "ya te he dicho que no"
        r"^\W*(?:(?:actually|well|hmm+|mm+|oh|ah|sorry|bueno|perdona|perdon|uy|uf)\W+)?"  # "actually no, …"
        r"(?:(?:que|pues|(?:ya\s+)?te\s+(?:he\s+dicho|dije)\s+que|i\s+said|i\s+told\s+you)\s+)?"
        r"(?:no|nop|nope|nah|mejor\s+no|para\s+nada|negativo|olvidalo|dejalo|da\s+igual|cancelar?\s+eso"
        r"|cancela\s+eso|ya\s+no|never\s*mind|forget\s+it|cancel\s+that|not\s+now|no\s+thanks)\b"
        # "no sé aún" and "not sure" are no answer at all, not a "no"; "no tengo (email)"
        # answers the question, it does not call the booking off.
        r"(?!\s+(?:se|lo\s+se|estoy\s+segur\w*|tengo\s+ni\s+idea|idea|sure|idea|clue|tengo|tenemos|uso"
        r"|usamos|have|email|e-mail|mail|correo)\b)"
    )),
    (Intent.CANCEL, _words(
        r"cancelar(?:la|lo|me)?", r"cancela(?:la|lo)?", r"cancelame", r"anular(?:la|lo)?", r"anula(?:la|lo)?",
        r"cancel", r"call\s+off",
    )),
    (Intent.STATUS, _words(*_STATUS_WORDS, *_HOLDING_WORDS)),
    (Intent.HOTEL_INFO, re.compile(
        r"\b(?:direccion|donde\s+(?:esta|estan|estais|queda|se\s+encuentra)|ubicacion|ubicad[oa]s?"
        r"|como\s+llego|como\s+llegar|localizacion|address|where\s+(?:are|is)|location|located"
        r"|directions|how\s+do\s+i\s+get|how\s+to\s+get)\b"
        r"|\b(?:a\s+que\s+hora|que\s+hora|hora\s+de|horas?\s+del?|horario|what\s+time|times?\s+(?:for|of|is)"
        r"|when\s+(?:is|can)|cuando\s+(?:es|puedo|se))\b.*\b(?:check[\s-]?in|check[\s-]?out|entrada|salida"
        r"|llegada|entrar|salir|arrive|leave)\b"
        r"|\b(?:check[\s-]?in|check[\s-]?out)\s+(?:time|hora)s?\b|^\W*(?:check[\s-]?in|check[\s-]?out)\W*$"
        r"|\binfo(?:rmacion)?\s+(?:del|sobre\s+el)\s+hotel\b|\bhotel\s+info\w*\b|\bcontact(?:o|ar)?\b|\btelefono\s+del\s+hotel\b"
    )),
    (Intent.HANDOFF, re.compile(
        r"\b(?:hablar|habla|comunicar(?:me)?|contactar|pasar(?:me)?|pasame|pasas|pasais|ponme|ponerme)\b.{0,40}"
        r"\b(?:persona|humano|agente|recepcion\w*|alguien|empleado|encargad[oa]|gerente|operador\w*|personal)\b"
        r"|\b(?:quiero|necesito|puedo)\b.{0,20}\b(?:humano|agente|recepcionista|encargad[oa]|gerente"
        r"|operador\w*)\b"
        r"|\b(?:talk|speak|chat|connect|transfer|put\s+me\s+through)\b.{0,40}"
        r"\b(?:person|human|agent|someone|somebody|staff|reception\w*|manager|representative|operator|people)\b"
        r"|\b(?:want|need|get\s+me)\b.{0,20}\b(?:human|agent|representative|operator|manager)\b"
        r"|\b(?:persona\s+real|un\s+humano|atencion\s+al\s+cliente|real\s+person|human\s+being"
        r"|customer\s+service)\b"
        r"|^\W*(?:humano|human|agente|agent|recepcion|reception|operador|operator|persona|person)\W*$"
        r"|\b(?:talk|speak|chat)\s+(?:to|with)\s+(?:the\s+)?front\s+desk\b|\bget\s+me\s+(?:someone|somebody|a\s+human"
        r"|a\s+person|a\s+real\s+person|the\s+manager)\b|\b(?:bot|robot|maquina)\b.{0,20}\b(?:useless|inutil|no\s+sirve"
        r"|stupid|tonto)\b|\b(?:alguien|persona|gente)\s+de\s+verdad\b|\breal\s+(?:human|people|agent)\b"
    )),
    (Intent.THANKS, _words(
        r"gracias", r"muchas\s+gracias", r"thank\w*", r"thx", r"adios", r"hasta\s+(?:luego|pronto"
        r"|manana)", r"chao", r"chau", r"bye", r"goodbye", r"see\s+you", r"cheers",
    )),
    (Intent.HELP, re.compile(
        r"^\W*(?:ayuda|help|menu|opciones|options|info|\?+)\W*$"
        r"|\b(?:que\s+(?:puedes|sabes)\s+hacer|como\s+funciona|que\s+haces|necesito\s+ayuda|what\s+can\s+you\s+do"
        r"|how\s+does\s+(?:this|it)\s+work|what\s+do\s+you\s+do|i\s+need\s+help|can\s+you\s+help)\b"
    )),
]


_RULES += [
    (Intent.LATE_CHECKOUT, re.compile(
        r"\blate\s*(?:check[\s-]?out|checkout)\b|\bcheck(?:ing)?[\s-]?out\s+(?:a\s+(?:bit|little)\s+)?later\b"
        r"|\b(?:leave|stay)\s+(?:the\s+room\s+)?(?:a\s+(?:bit|little)\s+)?later\b"
        r"|\bcheck[\s-]?out\s+late\b|\bextend\s+(?:the\s+)?check[\s-]?out\b"
        r"|\bsalida\s+(?:mas\s+)?tard\w*|\b(?:late|tardio)\s+check[\s-]?out\b|\bcheck[\s-]?out\s+tardi\w*"
        r"|\b(?:salir|irnos|irme|dejar\s+la\s+habitacion|quedarnos|quedarme)\s+(?:un\s+poco\s+)?mas\s+tarde\b"
        r"|\bretrasar\s+(?:la\s+)?salida\b|\bampliar\s+(?:la\s+)?(?:hora\s+de\s+)?salida\b"
        r"|\b(?:salir|irnos|irme|dejar\s+la\s+habitacion|check[\s-]?out|leave|vacate)\s+(?:a\s+las|at|until|hasta"
        r"\s+las|by)\s+(?:1[3-9](?:h|:\d\d|\.\d\d)?|[1-6](?::\d\d)?\s*pm)\b"
        r"|\b(?:1[3-9](?:h|:\d\d)?|[1-6](?::\d\d)?\s*pm)\s+check[\s-]?out\b"
        r"|\bkeep\s+(?:the\s+|our\s+|my\s+)?room\s+(?:until|till|til|a\s+(?:bit|little)\s+longer|longer|later)\b"
        r"|\bquedarnos?\s+(?:con\s+)?la\s+habitacion\s+hasta\b"
    )),
    (Intent.SPEAK_ENGLISH, re.compile(
        r"\b(?:in|en)\s+(?:english|ingles)\b|\b(?:speak|habla\w*|talk)\s+(?:in\s+)?(?:english|ingles)\b"
        r"|^\W*(?:english|ingles)\W*(?:please|pls|por\s+favor)?\W*$|\benglish\s+(?:please|pls)\b"
    )),
    (Intent.CHANGE, re.compile(
        r"\b(?:cambiar|cambia|cambiame|cambiarla|cambiarlo|modificar|modifica|modificarla|mover|mueve|muevela"
        r"|moverla|moverlo|pasar|pasa|pasarla|pasala|adelantar|adelantarla|adelanta|retrasar|retrasarla"
        r"|atrasar|atrasarla|aplazar|aplazarla|posponer|posponerla)\b.{0,30}"
        r"\b(?:reserva|fechas?|dias?|estancia|al\s+(?:dia\s+)?\d{1,2}|a\s+(?:la\s+semana|el|los)|para\s+el"
        r"|habitacion)\b"
        r"|\b(?:moverla|muevela|pasarla|pasala|cambiarla|adelantarla|retrasarla|aplazarla|posponerla"
        r"|modificarla)\b|\bcambio\s+de\s+fechas?\b"
        r"|\b(?:move|change|modify|shift|switch|push|reschedule|postpone|amend|bring\s+forward)\b.{0,30}"
        r"\b(?:booking|reservation|dates?|stay|it\s+to|it\s+back|it\s+forward|it\s+by|to\s+the\s+\d)"
        r"|\b(?:reschedule|postpone)\b|\bmove\s+it\b|\bchange\s+of\s+dates?\b"
        r"|\b(?:move|shift|push)\b.{0,30}\bto\b"
    )),
    (Intent.SPEAK_SPANISH, re.compile(
        r"\b(?:in|en)\s+(?:spanish|espanol|castellano)\b|\b(?:speak|habla\w*|talk)\s+(?:in\s+)?"
        r"(?:spanish|espanol|castellano)\b|^\W*(?:spanish|espanol|castellano)\W*(?:please|por\s+favor)?\W*$"
    )),
]


# A thumbs up is how many guests say yes on WhatsApp; skin tones and the emoji
# variation selector ride along ("👍🏽", "✔️").
_YES_EMOJI = frozenset("👍👌✅✔☑🆗🙆")
_NO_EMOJI = frozenset("👎❌✖🚫🙅")
_EMOJI_MODIFIERS = frozenset("\ufe0f\u200d🏻🏼🏽🏾🏿♀♂")


def _emoji_answer(text: str) -> Intent | None:
    signs = {char for char in text if not char.isspace() and char not in _EMOJI_MODIFIERS}
    if signs and signs <= _YES_EMOJI:
        return Intent.CONFIRM
    if signs and signs <= _NO_EMOJI:
        return Intent.DECLINE
    return None


_LATER_RE = re.compile(
    r"\b(?:book|reserv\w*)\s+(?:it\s+|la\s+|lo\s+)?(?:later|another\s+time|some\s+other\s+time|luego"
    r"|mas\s+tarde|otro\s+dia|en\s+otro\s+momento)\b"
)


def _what_a_no_does_not_ask(normalized: str) -> set[Intent]:
    """"cancelar eso" declines what was just proposed: it cancels no reservation;
    "never mind, I'll book later" and "ya reservaré luego" book nothing now."""
    asks_nothing = set()
    if re.match(r"^\W*cancel(?:ar?|a)?\s+(?:eso|that)\b", normalized):
        asks_nothing.add(Intent.CANCEL)
    if _LATER_RE.search(normalized):
        asks_nothing.add(Intent.BOOK)
    return asks_nothing


def detect_intents(text: str) -> set[Intent]:
    """Every intent the message shows signs of; empty when it only carries data
    (a date, a name, an email) or nothing we understand."""
    if emoji := _emoji_answer(text or ""):
        return {emoji}
    normalized = normalize(without_codes(text)).replace("¿", " ").replace("¡", " ").strip()
    found = {intent for intent, pattern in _RULES if pattern.search(normalized)}
    if Intent.DECLINE in found:
        found -= _what_a_no_does_not_ask(normalized)
    # "can we do this in english?" asks for a language, not for a person.
    if found & {Intent.SPEAK_ENGLISH, Intent.SPEAK_SPANISH} and not re.search(
        r"\b(?:human|person|persona|humano|agent|agente|someone|alguien|staff|reception\w*)\b", normalized
    ):
        found.discard(Intent.HANDOFF)
    # "I don't speak Spanish" asks for English, and the other way round.
    if re.search(r"\b(?:dont|don't|do\s+not|cant|can't|no)\s+(?:speak|hablo|understand|entiendo|read)\s+"
                 r"(?:much\s+)?(?:spanish|espanol)\b", normalized):
        found = (found - {Intent.SPEAK_SPANISH}) | {Intent.SPEAK_ENGLISH}
    if re.search(r"\b(?:no\s+hablo|no\s+entiendo|dont\s+speak|don't\s+speak)\s+(?:mucho\s+)?"
                 r"(?:ingles|english)\b", normalized):
        found = (found - {Intent.SPEAK_ENGLISH}) | {Intent.SPEAK_SPANISH}
    # "the status of my booking" is about one that exists.
    if re.search(r"\b(?:my|mi|our|nuestra)\s+(?:booking|reservation|reserva)\b", normalized) and found & {
        Intent.STATUS, Intent.CANCEL, Intent.LATE_CHECKOUT
    }:
        found.discard(Intent.BOOK)
    # "tengo una reserva" is about a booking that exists, not a new one.
    if re.search(r"\b(?:tengo|teniamos|tenemos|hice|hicimos|i\s+have|i\s+made|we\s+have|we\s+made)\s+"
                 r"(?:una|la|a)\s+(?:reserva|booking|reservation)\b", normalized):
        found.discard(Intent.BOOK)
    # Leaving later is not cancelling, and asking for it is not asking what time check-out is.
    if Intent.LATE_CHECKOUT in found:
        found -= {Intent.HOTEL_INFO, Intent.CANCEL, Intent.CHANGE}
    # Moving a booking is not making a new one ("can we move my booking to the 17th?").
    if Intent.CHANGE in found:
        found -= {Intent.BOOK, Intent.STATUS}
    return found
