"""Spanish-speaking guests at Hotel Sol (and a few at Harbor Inn), written the way they
write on WhatsApp: no accents, typos, abbreviations. Today is Wednesday 2 Dec 2026."""
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
el, noches, personas = patterns.es_on, patterns.es_nights, patterns.es_people

SOL = "hotel-sol"
ROOMS = [r"estandar", r"deluxe", r"suite"]
PRICES = [r"\b90\b", r"\b140\b", r"\b260\b"]
HOW_MANY = r"cuant[ao]s"
NAME_ASKED = r"a nombre de quien|como te llamas"
NAME_Q = r"nombre|como te llamas|quien"
EMAIL_Q = r"correo|e-?mail"
CONFIRM_Q = r"confirm"
DONE = [r"confirmad|reserva (hecha|realizada)|codigo"]
LATE_OK = r"recepcion|equipo|personal del hotel|te (lo )?confirm|confirmar(a|an|emos)|te avis"
STAFF = r"persona|equipo|recepcion|companer|personal"
OTHER_PHONE = "+34699111222"
ENERO = Existing(check_in=D(2027, 1, 15), check_out=D(2027, 1, 18))
EN_CASA = Existing(check_in=D(2026, 12, 2), check_out=D(2026, 12, 6))  # arriving today, leaving Sunday


def ending(name: str, email: str, total: str) -> list[T]:
    """Name, email, summary and yes: the tail every booking shares."""
    return [
        T(name, says=[EMAIL_Q]),
        T(email, says=[total, name.split()[0], CONFIRM_Q]),
        T("si", says=DONE),
    ]


BOOKING_HAPPY = [
    C("es-happy-01", "booking_happy", SOL, [
        T("hola quiero reservar", says=[r"fecha|cuando|dias|que dia"]),
        T("del 10 al 12 de enero", says=[r"cuant[ao]s|personas"]),
        T("2", says=ROOMS + PRICES),
        T("la deluxe", says=[NAME_Q]),
        *ending("Ana Torres", "ana.torres@gmail.com", r"280"),
    ], Booked(D(2027, 1, 10), D(2027, 1, 12), 2, "deluxe", "Ana Torres", "ana.torres@gmail.com")),
    C("es-happy-02", "booking_happy", SOL, [
        T("buenas, habitacion para dos del 20 al 23 de diciembre", says=[el(20, 12), noches(3), r"270"]),
        T("estandar", says=[NAME_Q]),
        *ending("Jorge Martin Sanz", "jorgems@yahoo.es", r"270"),
    ], Booked(D(2026, 12, 20), D(2026, 12, 23), 2, "standard", "Jorge Martin Sanz")),
    C("es-happy-03", "booking_happy", SOL, [
        T("tienen suite para 4 personas 15 enero 2 noches?", says=[r"suite", r"520", el(15, 1)]),
        T("si la suite porfa", says=[NAME_Q]),
        T("me llamo Lucia Fernandez", says=[EMAIL_Q]),
        T("lucia.f@outlook.com", says=[r"520", r"lucia", CONFIRM_Q]),
        T("confirmo", says=DONE),
    ], Booked(D(2027, 1, 15), D(2027, 1, 17), 4, "suite", "Lucia Fernandez", "lucia.f@outlook.com")),
    C("es-happy-04", "booking_happy", SOL, [
        T("hola!! 😊 queria reservar para el puente, del 5 al 8 de diciembre, somos 3",
          says=[r"deluxe|suite", el(5, 12), noches(3)]),
        T("deluxe", says=[NAME_Q]),
        *ending("Pedro Gomez", "pedro.gomez@gmail.com", r"420"),
    ], Booked(D(2026, 12, 5), D(2026, 12, 8), 3, "deluxe", "Pedro Gomez")),
    C("es-happy-05", "booking_happy", SOL, [
        T("Hola soy Marta Ruiz, quiero una habitacion"),
        T("para 2 personas del 27 al 29 de diciembre", says=[el(27, 12), r"\b90\b"]),
        T("la estandar", says=[EMAIL_Q], not_says=[r"a nombre de quien|como te llamas"]),
        T("marta.ruiz@gmail.com", says=[r"180", r"marta ruiz", CONFIRM_Q]),
        T("si", says=DONE),
    ], Booked(D(2026, 12, 27), D(2026, 12, 29), 2, "standard", "Marta Ruiz", "marta.ruiz@gmail.com")),
    C("es-happy-06", "booking_happy", SOL, [
        T("disponibilidad 2 adultos 9-11 enero", says=[el(9, 1), noches(2)]),
        T("deluxe porfa", says=[NAME_Q]),
        T("Carlos Vega, carlos.vega@hotmail.com", says=[r"280", r"carlos vega", CONFIRM_Q]),
        T("vale", says=DONE),
    ], Booked(D(2027, 1, 9), D(2027, 1, 11), 2, "deluxe", "Carlos Vega", "carlos.vega@hotmail.com")),
]

CORRECTIONS = [
    C("es-correction-01", "corrections", SOL, [
        T("hola, teneis algo del 10 al 12 de enero? somos 2", says=[r"enero", r"90|140|260"]),
        T("mejor del 14 al 16", says=[el(14, 1)], not_says=[r"diciembre"]),
        T("deluxe", says=[NAME_Q]),
        *ending("Ana Torres", "ana@example.com", r"280"),
    ], Booked(D(2027, 1, 14), D(2027, 1, 16), 2, "deluxe", "Ana Torres", "ana@example.com")),
    C("es-correction-02", "corrections", SOL, [
        T("quiero reservar del 3 al 5 de febrero para 2", says=[el(3, 2)]),
        T("perdon, al final somos 3", says=[r"deluxe|suite"], not_says=[r"perdon al final"]),
        T("deluxe", says=[NAME_Q]),
        T("Raul Ortiz", says=[EMAIL_Q]),
        T("raul.ortiz@gmail.com", says=[personas(3), r"raul ortiz", r"280"]),
        T("si", says=DONE),
    ], Booked(D(2027, 2, 3), D(2027, 2, 5), 3, "deluxe", "Raul Ortiz")),
    C("es-correction-03", "corrections", SOL, [
        T("del 10 al 13 de enero, 2 personas, estandar", says=[el(10, 1)]),
        T("Elena Blanco", says=[EMAIL_Q]),
        T("elena.blanco@gmail.com", says=[r"270", CONFIRM_Q]),
        T("mmm mejor cambiala a la deluxe", says=[r"deluxe", r"420"], not_says=[r"\b270\b"]),
        T("si", says=DONE),
    ], Booked(D(2027, 1, 10), D(2027, 1, 13), 2, "deluxe", "Elena Blanco")),
    C("es-correction-04", "corrections", SOL, [
        T("reserva estandar para 2 del 18 al 20 de enero", says=[el(18, 1)]),
        T("Sofia Moreno", says=[EMAIL_Q]),
        T("sofia.moreno@gmial.com", says=[CONFIRM_Q]),
        T("uy el correo esta mal, es sofia.moreno@gmail.com", says=[r"sofia\.moreno@gmail\.com"],
          not_says=[r"gmial"]),
        T("ahora si", says=DONE),
    ], Booked(D(2027, 1, 18), D(2027, 1, 20), 2, "standard", "Sofia Moreno", "sofia.moreno@gmail.com")),
    C("es-correction-05", "corrections", SOL, [
        T("estandar 2 pers del 20 al 22 de enero"),
        T("Ivan Castro", says=[EMAIL_Q]),
        T("ivan.castro@gmail.com", says=[r"180", CONFIRM_Q]),
        T("uy no, que sea del 21 al 23", says=[el(21, 1), el(23, 1)], not_says=[r"diciembre"]),
        T("si", says=DONE),
    ], Booked(D(2027, 1, 21), D(2027, 1, 23), 2, "standard", "Ivan Castro")),
]

PARTY_SIZE = [
    C("es-party-01", "party_size", SOL, [
        T("hola, mi novio y yo queremos ir del 8 al 10 de enero", says=[personas(2)], not_says=[HOW_MANY]),
        T("la estandar", says=[NAME_Q]),
        *ending("Irene Soto", "irene.soto@gmail.com", r"180"),
    ], Booked(D(2027, 1, 8), D(2027, 1, 10), 2, "standard")),
    C("es-party-02", "party_size", SOL, [
        T("vamos en pareja, del 15 al 17 de enero, q teneis?", says=[personas(2), r"estandar"],
          not_says=[r"cuant[ao]s"]),
    ], NoBooking()),
    C("es-party-03", "party_size", SOL, [
        T("somos dos adultos y una niña, del 2 al 4 de enero", says=[personas(3), r"deluxe|suite"],
          not_says=[r"cuant[ao]s"]),
    ]),
    C("es-party-04", "party_size", SOL, [
        T("3 pax del 9 al 11 de enero", says=[personas(3)], not_says=[r"cuant[ao]s"]),
        T("deluxe", says=[NAME_Q]),
        *ending("Oscar Prieto", "oscar.prieto@gmail.com", r"280"),
    ], Booked(D(2027, 1, 9), D(2027, 1, 11), 3, "deluxe")),
    C("es-party-05", "party_size", SOL, [
        T("familia de 4, 2 adultos y 2 niños, 12-14 enero", says=[personas(4), r"suite"],
          not_says=[r"cuant[ao]s"]),
    ]),
    C("es-party-06", "party_size", SOL, [
        T("hola viajo solo, 1 noche el 10 de enero", says=[personas(1), el(10, 1)], not_says=[r"cuant[ao]s"]),
    ]),
    C("es-party-08", "party_size", SOL, [
        T("Hola, soy Marta Gil, quiero reservar una doble del 3 al 5 de febrero, "
          "mi correo es marta.gil@gmail.com",
          says=[personas(2)], not_says=[r"cuant[ao]s"]),
        T("la estandar", says=[r"180"]),
    ]),
    C("es-party-09", "party_size", SOL, [
        T("ola wenas q precio tiene la abitacion dobel pa el puente d mayo", says=[r"abril|mayo"]),
        T("semos 2"),
        T("y con bañera cual", says=[r"deluxe", r"banera"]),
        T("vale la deluxe del 30 de abril al 2 de mayo", says=[r"deluxe", personas(2), r"280"]),
    ]),
    C("es-party-07", "party_size", SOL, [
        T("hola somos 8 amigos, del 15 al 17 de enero q teneis", says=[r"2 habitaciones", personas(4)],
          not_says=[r"menos personas"]),
        T("3 en la primera", says=[personas(3)], not_says=[r"no se cual"]),
    ]),
]

DATES = [
    C("es-dates-01", "dates", SOL, [
        T("del 19 al 16 de enero para 2",
          says=[r"\?", r"\b(16|19)\b|antes|despues|anterior|posterior|al reves"]),
    ], NoBooking()),
    C("es-dates-19", "dates", SOL, [
        T("kiero reserbar una abitacion pa 3 personas el 12 de henero 2 noches",
          says=[r"12 de enero", r"14 de enero"], not_says=[r"diciembre"]),
    ], NoBooking()),
    C("es-dates-02", "dates", SOL, [
        T("el 31 de abril para 2 personas 2 noches", says=[r"\?", r"abril|\b3[01]\b"]),
    ], NoBooking()),
    C("es-dates-03", "dates", SOL, [
        T("pasado mañana 3 noches, 2 personas", says=[el(4, 12), el(7, 12), noches(3), r"270"]),
    ]),
    C("es-dates-04", "dates", SOL, [
        T("del 8 al 10 del mes proximo, 2 personas", says=[el(8, 1), el(10, 1)], not_says=[el(8, 12)]),
    ]),
    C("es-dates-05", "dates", SOL, [
        T("en primavera algun finde, cuanto sale?", says=[r"que (dias|fechas)|fechas|cuando|que fin"]),
    ], NoBooking()),
    C("es-dates-06", "dates", SOL, [
        T("del 30 de diciembre al 2 de enero somos 2", says=[el(30, 12), el(2, 1), noches(3), r"270"]),
        T("la estandar", says=[NAME_Q]),
        *ending("Nuria Gil", "nuria.gil@gmail.com", r"270"),
    ], Booked(D(2026, 12, 30), D(2027, 1, 2), 2, "standard")),
    C("es-dates-07", "dates", SOL, [
        T("el viernes 2 noches para 2", says=[el(4, 12), el(6, 12), noches(2)]),
    ]),
    C("es-dates-08", "dates", SOL, [
        T("desde el sabado 12 hasta el lunes, 2 pers", says=[el(12, 12), el(14, 12), noches(2)]),
    ]),
    C("es-dates-09", "dates", SOL, [
        T("el primero de febrero 3 noches dos personas", says=[el(1, 2), el(4, 2), noches(3)]),
    ]),
    C("es-dates-10", "dates", SOL, [
        T("cuanto cuesta una semana en enero?", says=[r"dia de llegada", r"7 noches"]),
        T("llegaria el 10", says=[el(10, 1), el(17, 1), noches(7), r"567,00"]),
    ]),
]

INLINE_CONTACT = [
    C("es-inline-01", "inline_contact", SOL, [
        T("del 10 al 12 de enero para 2", says=[el(10, 1)]),
        T("la deluxe, a nombre de Ana Torres", says=[EMAIL_Q], not_says=[NAME_ASKED]),
        T("ana.torres@gmail.com", says=[r"ana torres", r"280"]),
        T("si", says=DONE),
    ], Booked(D(2027, 1, 10), D(2027, 1, 12), 2, "deluxe", "Ana Torres", "ana.torres@gmail.com")),
    C("es-inline-02", "inline_contact", SOL, [
        T("hola soy Luis Pardo, quiero reservar del 15 al 17 de enero para 2", says=[el(15, 1)]),
        T("estandar", says=[EMAIL_Q]),
        T("luis.pardo@hotmail", says=[EMAIL_Q], not_says=[NAME_ASKED]),
        T("luis.pardo@hotmail.com", says=[r"luis pardo", r"180"]),
        T("si", says=DONE),
    ], Booked(D(2027, 1, 15), D(2027, 1, 17), 2, "standard", "Luis Pardo", "luis.pardo@hotmail.com")),
    C("es-inline-03", "inline_contact", SOL, [
        T("reserva suite 4 personas 20-22 enero, Maria Lopez, maria.lopez@gmail.com",
          says=[r"maria lopez", r"520", r"suite"]),
        T("si", says=DONE),
    ], Booked(D(2027, 1, 20), D(2027, 1, 22), 4, "suite", "Maria Lopez", "maria.lopez@gmail.com")),
    C("es-inline-04", "inline_contact", SOL, [
        T("del 5 al 7 de febrero 2 personas estandar", says=[NAME_Q]),
        T("Pablo Diaz pablo.diaz@gmail.com", says=[r"pablo diaz", r"180"]),
        T("si", says=DONE),
    ], Booked(D(2027, 2, 5), D(2027, 2, 7), 2, "standard", "Pablo Diaz", "pablo.diaz@gmail.com")),
    C("es-inline-05", "inline_contact", SOL, [
        T("quiero la deluxe del 9 al 11 enero, somos 2. Me llamo Clara Nieto y mi correo es "
          "clara.nieto@yahoo.es",
          says=[r"clara nieto", r"280", CONFIRM_Q]),
        T("ok", says=DONE),
    ], Booked(D(2027, 1, 9), D(2027, 1, 11), 2, "deluxe", "Clara Nieto", "clara.nieto@yahoo.es")),
]

ROOM_CHOICE = [
    C("es-room-01", "room_choice", SOL, [
        T("del 10 al 12 de enero para 2"),
        T("lo mas economico", says=[r"estandar|nombre"]),
        T("Ines Rey", says=[EMAIL_Q]),
        T("ines.rey@gmail.com", says=[r"estandar", r"180"]),
        T("si", says=DONE),
    ], Booked(D(2027, 1, 10), D(2027, 1, 12), 2, "standard")),
    C("es-room-02", "room_choice", SOL, [
        T("del 10 al 12 de enero, 2 personas"),
        Fact("la deluxe tiene balcon?", says=[r"balcon"]),
        T("vale esa misma", says=[NAME_Q]),
        T("Ana Ruiz", says=[EMAIL_Q]),
        T("ana.ruiz@gmail.com", says=[r"deluxe", r"280"]),
        T("si", says=DONE),
    ], Booked(D(2027, 1, 10), D(2027, 1, 12), 2, "deluxe")),
    C("es-room-03", "room_choice", SOL, [
        T("quiero una habitacion con terraza del 15 al 17 de enero, somos 2", says=[r"suite", r"520"]),
    ]),
    C("es-room-04", "room_choice", SOL, [
        T("una matrimonial del 8 al 10 de enero para 2", says=[r"estandar|deluxe", el(8, 1)]),
    ]),
    C("es-room-05", "room_choice", SOL, [
        T("dos camas separadas porfa, 2 personas del 5 al 7 de enero", says=[r"estandar", r"180"]),
    ]),
    C("es-room-06", "room_choice", SOL, [
        T("la mas amplia que tengais, 2 personas del 12 al 14 enero", says=[r"suite", r"520"]),
    ]),
    C("es-room-07", "room_choice", SOL, [
        T("la mas barata con bañera, 2 pers 20-22 enero", says=[r"deluxe", r"280"]),
    ]),
    C("es-room-08", "room_choice", SOL, [
        T("teneis la suite libre del 5 al 7 de febrero? somos 2",
          says=[r"si, tenemos suite con terraza libre", r"520", r"hago la reserva"]),
        T("vale", says=[NAME_Q]),
    ]),
]

ROOM_QUESTIONS = [
    C("es-roomq-01", "room_questions", SOL, [Fact("cuanta gente entra en la deluxe?", says=[r"\b3\b|tres"])],
      NotHandedOff()),
    C("es-roomq-02", "room_questions", SOL, [Fact("la suite tiene bañera?", says=[r"banera", r"\bsi\b"])],
      NotHandedOff()),
    C("es-roomq-03", "room_questions", SOL, [Fact("la estandar tiene bañera o solo ducha?", says=[r"ducha"])],
      NotHandedOff()),
    C("es-roomq-04", "room_questions", SOL, [
        Fact("q diferencia hay entre la deluxe y la suite",
             says=[r"deluxe", r"suite", r"140|260|terraza|balcon"]),
    ], NotHandedOff()),
    C("es-roomq-05", "room_questions", SOL, [Fact("la suite tiene sofa cama?", says=[r"sofa"])],
      NotHandedOff()),
    C("es-roomq-06", "room_questions", SOL, [
        Fact("caben 4 en la deluxe?", says=[r"\b3\b|tres", r"suite"]),
    ], NotHandedOff()),
    C("es-roomq-07", "room_questions", SOL, [
        Fact("q incluye la suite?", says=[r"terraza", r"banera"], not_says=[r"fechas"]),
    ], NotHandedOff()),
]

ANSWER_FIRST = [
    C("es-first-01", "answer_first", SOL, [T("cuanto cuesta la noche?", says=ROOMS + PRICES)]),
    C("es-first-02", "answer_first", SOL, [T("precios??", says=ROOMS + PRICES)]),
    C("es-first-03", "answer_first", SOL, [
        T("q precio tienen las habitaciones del 10 al 12 de enero", says=ROOMS + [r"180", r"280", r"520"]),
    ]),
    C("es-first-04", "answer_first", SOL, [T("cuanto me sale una habitacion?", says=ROOMS + PRICES)]),
]

HOTEL_FACTS = [
    C(f"es-facts-{i:02d}", "hotel_facts", SOL, [Fact(text, says=says)], NotHandedOff())
    for i, (text, says) in enumerate([
        ("a q hora es el desayno?", [r"desayuno"]),
        ("teneis parking?", [r"parking|aparcamiento|garaje"]),
        ("hay wifi gratis?", [r"wi-?fi"]),
        ("se admiten perros? viajo con mi perrita", [r"mascota|perro"]),
        ("donde estais? cual es la direccion", [r"direccion|calle|madrid"]),
        ("telefono del hotel?", [r"910|\+34"]),
        ("puedo pagar con tarjeta?", [r"tarjeta|pago"]),
        ("cual es la politica de cancelacion", [r"cancela"]),
        ("a que hora hay que dejar la habitacion el ultimo dia?", [r"\b1[12]\b|salida|check.?out"]),
        ("es accesible para silla de ruedas?", [r"accesib|silla"]),
        ("teneis traslado desde el aeropuerto?", [r"aeropuerto|traslado"]),
        ("a partir de q hora puedo hacer el check in", [r"\b15\b|3 de la tarde|entrada|check.?in"]),
    ], start=1)
] + [
    C("es-facts-13", "hotel_facts", SOL, [
        Fact("hola! teneis parking y wifi?", says=[r"parking|aparcamiento|garaje", r"wi-?fi"]),
    ], NotHandedOff()),
    C("es-facts-14", "hotel_facts", SOL, [
        Fact("cuanto cuesta el parking?", says=[r"garaje", r"22"], not_says=[r"\b90\b", r"tarifas"]),
    ], NotHandedOff()),
    C("es-facts-18", "hotel_facts", SOL, [
        Fact("cuanto cuesta el parking por noche?", says=[r"garaje", r"22"],
             not_says=[r"\b90\b", r"tarifas"]),
        Fact("y el desayuno por persona?", says=[r"14"], not_says=[r"\b90\b", r"tarifas"]),
    ], NotHandedOff()),
    C("es-facts-15", "hotel_facts", SOL, [
        T("quiero reservar", says=[r"fechas"]),
        Fact("cuanto cuesta el parking", says=[r"garaje", r"fechas"], not_says=[r"no he entendido"]),
    ], NotHandedOff()),
    C("es-facts-17", "hotel_facts", SOL, [
        T("quiero reservar del 10 al 12 de enero", says=[r"personas"]),
        T("somos 2 y un perro pequeño", says=[r"perros", r"10 kg", r"habitacion"]),
    ], NotHandedOff()),
    C("es-facts-16", "hotel_facts", SOL, [
        Fact("a k hora es el checkout", says=[r"\b12:00\b"], not_says=[r"no he entendido"]),
        Fact("tb teneis wifi?", says=[r"wi-?fi"]),
    ], NotHandedOff()),
    C("es-facts-19", "hotel_facts", SOL, [
        T("precio del 3 al 5 de febrero para 2", says=[r"180", r"280"]),
        Fact("hay parking?", says=[r"garaje", r"te reservo alguna", r"estandar, habitacion deluxe"],
             not_says=[r"quedan \d"]),
        T("la deluxe", says=[r"deluxe", NAME_Q]),
    ], NotHandedOff()),
    C("es-facts-20", "hotel_facts", SOL, [
        T("hay sitio del 3 al 5 de febrero? somos 2", says=[r"180", r"280"]),
        Fact("si, el desayuno esta incluido?", says=[r"desayuno", r"14", r"que habitacion prefieres"]),
    ], NotHandedOff()),
]

LOOPS = [
    C("es-loops-01", "loops", SOL, [
        T("quiero reservar", says=[r"fecha|cuando|dias"]),
        T("bla bla"),
        T("mmm no se", says=[r"ejemplo|\d+ de \w+|\+34|telefono|llam"]),
        T("jajaja"),
    ], HandedOff()),
    C("es-loops-02", "loops", SOL, [
        T("reserva del 10 al 12 de enero", says=[r"cuant[ao]s|personas"]),
        T("muchos jaja"),
        T("no se aun", says=[r"ejemplo|\d|\+34|telefono|llam"]),
        T("ya veremos"),
    ], HandedOff()),
    C("es-loops-03", "loops", SOL, [
        T("del 10 al 12 de enero 2 personas estandar", says=[NAME_Q]),
        T("?"),
        T("eso", says=[r"ejemplo|\+34|telefono|llam|nombre y apellido"]),
        T("..."),
    ], HandedOff()),
    C("es-loops-04", "loops", SOL, [
        T("del 10 al 12 de enero 2 personas estandar, soy Ana Torres", says=[EMAIL_Q]),
        T("no tengo"),
        T("pues no se", says=[r"ejemplo|@|\+34|telefono|llam"]),
        T("nada"),
    ], HandedOff()),
]

HANDOFF = [
    C(f"es-handoff-{i:02d}", "handoff", SOL, [T(text, says=[STAFF])], HandedOff())
    for i, text in enumerate([
        "pasame con recepcion porfa",
        "quiero hablar con una persona",
        "operador",
        "me atiende alguien de verdad?",
        "necesito hablar con el encargado, tengo una queja",
    ], start=1)
] + [
    C("es-handoff-07", "handoff", SOL, [
        T("del 10 al 12 de enero 2 personas estandar", says=[NAME_Q]),
        T("teneis gimnasio?", says=[r"no lo se", r"terminemos", NAME_Q], not_says=[r"no he entendido"]),
        T("uy no, mejor lo dejo", says=[r"pregunta de antes", STAFF]),
    ], HandedOff()),
]

LANGUAGE = [
    C("es-language-01", "language", SOL, [
        T("hola"),
        T("can we do this in english?", says=[r"\b(you|help|sure|of course|english)\b"],
          not_says=[FALLBACK, r"puedo"]),
        T("do you have a room jan 10-12 for 2?", says=[r"jan(uary)?", r"180"], not_says=[r"enero"]),
    ], NotHandedOff()),
    C("es-language-05", "language", SOL, [
        T("hola teneis hab doble pal finde? somos 2", says=[r"por noche"]),
        T("and in english? price for 2 ppl jan 10-12", says=[r"english", r"jan(uary)?", r"180"],
          not_says=[r"enero", r"how can i help"]),
    ], NotHandedOff()),
    C("es-language-02", "language", SOL, [
        T("hi, do you have rooms jan 10-12 for 2?", says=[r"jan(uary)?", r"180"],
          not_says=[r"enero|habitacion"]),
    ], NotHandedOff()),
    C("es-language-03", "language", "harbor-inn", [
        T("hola, tienen habitacion del 10 al 12 de enero para 2?", says=[r"enero", r"190"],
          not_says=[r"january"]),
    ], NotHandedOff(), phone=OTHER_PHONE),
    C("es-language-04", "language", "harbor-inn", [
        Fact("buenas, teneis parking?", says=[r"parking|aparcamiento|garaje"], not_says=[r"\bthe\b"]),
    ], NotHandedOff(), phone=OTHER_PHONE),
]

EXISTING = [
    C("es-existing-01", "existing_reservation", SOL, [
        T("hola, como esta mi reserva {code}?", says=[r"{code}", el(15, 1), r"confirmad"]),
    ], StillConfirmed(), existing=ENERO),
    C("es-existing-02", "existing_reservation", SOL, [
        T("quiero cancelar la reserva {code}", says=[r"cancel"]),
        T("si, cancelala", says=[r"cancelad"]),
    ], Cancelled(), existing=ENERO),
    C("es-existing-03", "existing_reservation", SOL, [
        T("hola quiero consultar mi reserva {code}", says=[EMAIL_Q], not_says=[r"carmen", el(15, 1)]),
        T("carmen.ruiz@example.com", says=[el(15, 1)]),
    ], StillConfirmed(), phone=OTHER_PHONE, existing=ENERO),
    C("es-existing-04", "existing_reservation", SOL, [
        T("reserva {code}", says=[EMAIL_Q]),
        T("ni idea, no me acuerdo"),
        T("pepe@gmail.com"),
    ], (NothingRevealed(), StillConfirmed()), phone=OTHER_PHONE, existing=ENERO),
    C("es-existing-05", "existing_reservation", SOL, [
        T("cancela la {code}", says=[EMAIL_Q]),
        T("no lo se"),
    ], (NothingRevealed(), StillConfirmed()), phone=OTHER_PHONE, existing=ENERO),
    C("es-existing-06", "existing_reservation", SOL, [
        T("tengo una reserva, para q dias era?", says=[el(15, 1), el(18, 1)]),
    ], StillConfirmed(), existing=ENERO),
]

LATE_CHECKOUT = [
    C(f"es-late-{i:02d}", "late_checkout", SOL, [T(text, says=[LATE_OK])],
      LateCheckoutRequested(), existing=EN_CASA)
    for i, text in enumerate([
        "puedo dejar la habitacion mas tarde el ultimo dia? reserva {code}",
        "salida tardia?",
        "hola, se puede hacer late check out el domingo? hasta las 2",
        "podria salir a las 14h el dia de salida? {code}",
    ], start=1)
]

SINGLE_QUESTION = [
    C(f"es-single-{i:02d}", "single_question", SOL, [T(text, says=says)], NoBooking())
    for i, (text, says) in enumerate([
        ("cuanto sale la doble el finde?", [r"\b[456]\b.{0,6}diciembre", r"\b(90|140|180|280)\b"]),
        ("hay sitio pasado mañana?", [el(4, 12), r"\b(90|140|260)\b"]),
        ("precio para 2 del 10 al 12 de enero", [el(10, 1), r"180", r"280", r"520"]),
        ("teneis libre del 20 al 22 de dic para 2?", [el(20, 12), r"180"]),
        ("cuanto es la suite 3 noches desde el 15 de enero", [el(15, 1), r"780"]),
        ("disponibilidad para mañana 1 noche 2 personas", [el(3, 12), r"\b90\b"]),
        ("deluxe del 5 al 9 de enero cuanto?", [el(5, 1), r"560"]),
        ("habitacion para 3 el fin de semana que viene", [r"diciembre", r"deluxe|suite", r"\d{3}"]),
        ("q precio tiene la estandar en nochevieja?", [el(31, 12), r"\b90\b"]),
        ("hay hueco del 26 al 28 de diciembre? somos 4", [el(26, 12), r"suite", r"520"]),
        ("precio puente de reyes, 2 personas del 5 al 7 de enero", [el(5, 1), r"180", r"280"]),
        ("cuanto cuesta una semana en la estandar desde el 11 de enero?", [el(11, 1), r"567"]),
        ("tienen disponibilidad del 1 al 3 de febrero?", [el(1, 2), r"\b(90|180)\b"]),
        ("precio noche para 2 el 8 de diciembre", [el(8, 12), r"\b90\b"]),
        ("del 12 al 14 de marzo para dos, cuanto?", [el(12, 3), r"180"]),
        ("me das precio de la suite 2 noches desde el viernes?", [el(4, 12), r"520"]),
    ], start=1)
]

CONVERSATIONS = (BOOKING_HAPPY + CORRECTIONS + PARTY_SIZE + DATES + INLINE_CONTACT + ROOM_CHOICE
                 + ROOM_QUESTIONS + ANSWER_FIRST + HOTEL_FACTS + LOOPS + HANDOFF + LANGUAGE + EXISTING
                 + LATE_CHECKOUT + SINGLE_QUESTION)
