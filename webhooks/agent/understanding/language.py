"""Which language a guest writes in, from the words they use."""
import re

from .contact import without_codes
from .text import fold

# A word list reads better as prose than as a set literal. Words both languages
# write ("email", "ok", "hotel") are in neither.
_SPANISH_WORDS = set("""
hola buenas buenos dias tardes gracias quiero quisiera queria reservar reserva reservas habitacion
habitaciones noche noches para por favor del al de el la los las una uno dos tres cuanto cuanta
cuesta cuestan precio precios disponibilidad disponible hay teneis tienen tienes personas persona
adultos adulto manana hoy pasado semana fin estado cancelar si vale donde esta estan direccion hora
ayuda hablar con mi llamo nombre correo y que como necesito adios hasta luego desde entre proximo
lunes martes miercoles jueves viernes sabado domingo enero febrero marzo abril mayo junio julio agosto
septiembre octubre noviembre diciembre somos nosotros pareja ninos nino doble estandar lujo
claro perfecto tambien pero cuando puedo podeis puede seria esto eso mejor confirmo llegada salida
salgo llego entrada es soy yo tu usted ustedes un tengo tenemos tiene sin uso usamos vamos voy viene
vienen aqui ahora
""".split())  # noqa: SIM905
_ENGLISH_WORDS = set("""
hello hi hey thanks thank you want would like book booking room rooms night nights from to the please
how much price prices cost available availability any do does have has people adults adult guests
tomorrow today next weekend week status cancel my is are yes where what time address help talk speak
person human with i i'm im name and can could need bye goodbye monday tuesday wednesday thursday
friday saturday sunday january february march april june july august september october november
december two three four five six seven eight nine ten one we our double single there this that of
for on at it be will sure in get reservation stay arriving leaving just only us me whats what's wats
hows up guys u r ur thx thanks pls plz gonna wanna gotta
""".split())  # noqa: SIM905
_NOT_WORDS_RE = re.compile(r"\S+@\S+|https?://\S+|\S*\d\S*")  # emails, links, dates, numbers
_ACCENTED = re.compile(r"[áéíóúñü]", re.IGNORECASE)


def detect_language(text: str, *, words_only: bool = False) -> str | None:
    """"es" or "en" when the message clearly leans one way, else None (keep the
    language we already had). Spanish punctuation counts double, accents once;
    `words_only` ignores both, for answers such as a name ("Ana García") that say
    nothing about the language the guest prefers."""
    lowered = _NOT_WORDS_RE.sub(" ", without_codes(text).lower())
    words = re.findall(r"[a-z']+", fold(lowered))
    spanish = sum(word in _SPANISH_WORDS for word in words)
    english = sum(word in _ENGLISH_WORDS for word in words)
    if not words_only and ("¿" in lowered or "¡" in lowered):
        spanish += 2
    if not words_only and _ACCENTED.search(lowered):
        spanish += 1
    if spanish > english:
        return "es"
    if english > spanish:
        return "en"
    return None
