"""The demo hotels' knowledge base: what a newcomer's agent answers on day one.

Hotel Sol (Madrid, EUR) and Harbor Inn (Boston, USD), every FAQ topic in Spanish
and English, and the guest information fields on the hotel. Idempotent like the
rest of the demo seed: an entry is made only when the hotel has none for that
topic and language, and a field is filled only while it is empty, so what staff
changed survives a re-run. Any other hotel gets Hotel Sol's, or Harbor Inn's
when it works in dollars.
"""
import datetime
from decimal import Decimal

from django.db import transaction

from .models import FAQEntry, Tenant

# topic: {language: (questions, answer)}
HOTEL_SOL = {
    "breakfast": {
        "es": (["¿El desayuno está incluido?", "¿A qué hora es el desayuno?", "¿Cuánto cuesta el desayuno?"],
               "El desayuno buffet se sirve de 7:30 a 10:30 (fines de semana hasta las 11:00) en la planta"
               " baja. Cuesta 14 € por persona y noche si no lo incluye tu tarifa; los niños menores de 4 "
               "años no pagan."),
        "en": (["Is breakfast included?", "What time is breakfast?", "How much is breakfast?"],
               "Buffet breakfast is served from 7:30 to 10:30 (11:00 at weekends) on the ground floor. It "
               "is €14 per person per night when your rate does not include it; children under 4 eat free."),
    },
    "parking": {
        "es": (["¿Tenéis parking?", "¿Dónde puedo aparcar?", "¿Cuánto cuesta el garaje?"],
               "Tenemos garaje propio en la calle Atocha 20, a 50 metros: 22 € por noche, reservándolo "
               "antes. La calle es zona SER de pago; el parking público de Santa Ana está a 5 minutos."),
        "en": (["Do you have parking?", "Where can I park?", "How much is the garage?"],
               "We have our own garage at Calle Atocha 20, 50 metres away: €22 per night, booked in "
               "advance. Street parking is paid (SER zone); the Santa Ana public car park is a 5-minute "
               "walk."),
    },
    "wifi": {
        "es": (["¿Hay wifi?", "¿Cuál es la contraseña del wifi?", "¿El wifi es gratis?"],
               "El wifi es gratuito en todo el hotel. Red: HotelSol-Guest; la contraseña te la damos en "
               "recepción al hacer el check-in y viene en la tarjeta de tu habitación."),
        "en": (["Is there wifi?", "What is the wifi password?", "Is the wifi free?"],
               "Wi-Fi is free throughout the hotel. Network: HotelSol-Guest; the password is given at "
               "check-in and printed on your key card holder."),
    },
    "pets": {
        "es": (["¿Se admiten mascotas?", "¿Puedo ir con mi perro?", "¿Aceptáis gatos?"],
               "Sí, admitimos perros y gatos de hasta 10 kg, uno por habitación, con un suplemento de 15 €"
               " por noche. Avísanos al reservar; no pueden entrar en la sala de desayunos."),
        "en": (["Are pets allowed?", "Can I bring my dog?", "Do you accept cats?"],
               "Yes, we welcome dogs and cats up to 10 kg, one per room, for €15 per night. Let us know "
               "when booking; pets cannot come into the breakfast room."),
    },
    "address": {
        "es": (["¿Cuál es la dirección?", "¿Dónde estáis?"],
               "Estamos en la Calle del Sol 12, 28012 Madrid, junto a la Puerta del Sol."),
        "en": (["What is the address?", "Where are you located?"],
               "We are at Calle del Sol 12, 28012 Madrid, next to Puerta del Sol."),
    },
    "directions": {
        "es": (["¿Cómo llego desde el aeropuerto?", "¿Cómo llego desde la estación de Atocha?"],
               "Desde el aeropuerto de Barajas: Metro línea 8 hasta Nuevos Ministerios, luego Cercanías "
               "hasta Sol (unos 40 minutos), o taxi con tarifa fija de 33 €. Desde Atocha: Cercanías C3 o "
               "C4 hasta Sol, una parada. Salimos a 2 minutos andando de la estación de Sol."),
        "en": (["How do I get there from the airport?", "How do I get from Atocha station?"],
               "From Barajas airport: Metro line 8 to Nuevos Ministerios, then a Cercanías train to Sol "
               "(about 40 minutes), or a taxi at the €33 flat fare. From Atocha: Cercanías C3 or C4 to "
               "Sol, one stop. We are a 2-minute walk from Sol station."),
    },
    "phone": {
        "es": (["¿Cuál es vuestro teléfono?", "¿Puedo llamaros?"],
               "Puedes llamarnos al +34 910 000 001 (recepción 24 horas) o escribir a "
               "reservas@hotelsol.example."),
        "en": (["What is your phone number?", "Can I call you?"],
               "Call us on +34 910 000 001 (24-hour front desk) or email reservas@hotelsol.example."),
    },
    "payment": {
        "es": (["¿Qué formas de pago aceptáis?", "¿Puedo pagar con tarjeta?", "¿Aceptáis Bizum?"],
               "Aceptamos Visa, Mastercard, American Express, efectivo y Bizum. El pago se hace en el "
               "hotel al llegar; te pedimos una tarjeta como garantía."),
        "en": (["Which payment methods do you accept?", "Can I pay by card?", "Do you take cash?"],
               "We accept Visa, Mastercard, American Express, cash and Bizum. You pay at the hotel on "
               "arrival; we ask for a card as a guarantee."),
    },
    "cancellation": {
        "es": (["¿Cuál es la política de cancelación?", "¿Puedo cancelar gratis?"],
               "Puedes cancelar gratis hasta 48 horas antes de la llegada; después se cobra la primera "
               "noche. Las tarifas no reembolsables no admiten cambios."),
        "en": (["What is your cancellation policy?", "Can I cancel for free?"],
               "Free cancellation up to 48 hours before arrival; after that the first night is charged. "
               "Non-refundable rates cannot be changed."),
    },
    "late_checkout": {
        "es": (["¿Puedo hacer late check-out?", "¿Puedo dejar la habitación más tarde?"],
               "El check-out es hasta las 12:00. Según disponibilidad puedes quedarte hasta las 14:00 por "
               "20 €; pídelo en recepción la víspera."),
        "en": (["Can I have a late check-out?", "Can I leave the room later?"],
               "Check-out is until 12:00. Subject to availability you can stay until 14:00 for €20; ask at"
               " the front desk the day before."),
    },
    "accessibility": {
        "es": (["¿El hotel es accesible?", "¿Hay ascensor?", "¿Tenéis habitaciones adaptadas?"],
               "Sí: entrada sin escalones, ascensor a todas las plantas y dos habitaciones adaptadas para "
               "silla de ruedas con ducha a ras de suelo. Indícalo al reservar."),
        "en": (["Is the hotel accessible?", "Is there a lift?", "Do you have wheelchair accessible rooms?"],
               "Yes: step-free entrance, a lift to every floor and two wheelchair-adapted rooms with roll-"
               "in showers. Please mention it when booking."),
    },
    "airport_transfer": {
        "es": (["¿Tenéis traslado al aeropuerto?", "¿Podéis recogerme en el aeropuerto?"],
               "Organizamos traslado privado desde o hasta Barajas por 45 € por trayecto (hasta 3 "
               "personas). Pídelo con 24 horas de antelación indicando tu número de vuelo."),
        "en": (["Do you offer an airport transfer?", "Can you pick me up at the airport?"],
               "We arrange a private transfer to or from Barajas for €45 each way (up to 3 people). Book "
               "it 24 hours ahead with your flight number."),
    },
    "check_in_out": {
        "es": (["¿A qué hora es el check-in?", "¿A qué hora es el check-out?"],
               "El check-in es a partir de las 15:00 y el check-out hasta las 12:00. La recepción abre 24 "
               "horas y podemos guardarte el equipaje."),
        "en": (["What time is check-in?", "What time is check-out?"],
               "Check-in is from 15:00 and check-out until 12:00. The front desk is open 24 hours and we "
               "can keep your luggage."),
    },
}

HARBOR_INN = {
    "breakfast": {
        "es": (["¿El desayuno está incluido?", "¿A qué hora es el desayuno?"],
               "El desayuno continental está incluido y se sirve de 6:30 a 10:00 en el salón del "
               "vestíbulo."),
        "en": (["Is breakfast included?", "What time is breakfast?", "How much is breakfast?"],
               "Continental breakfast is included in every rate, served 6:30 to 10:00 am in the lobby "
               "lounge."),
    },
    "parking": {
        "es": (["¿Tenéis parking?", "¿Dónde puedo aparcar?"],
               "Hay aparcacoches (valet) por 45 $ la noche con entradas y salidas ilimitadas; el garaje "
               "público de Atlantic Wharf está a 3 minutos a pie por unos 38 $ al día."),
        "en": (["Do you have parking?", "Where can I park?", "How much is valet?"],
               "Valet parking is $45 per night with in-and-out privileges; the Atlantic Wharf public "
               "garage is a 3-minute walk, about $38 a day."),
    },
    "wifi": {
        "es": (["¿Hay wifi?", "¿Cuál es la contraseña del wifi?"],
               "Wifi gratis en todo el hotel: red HarborInn, sin contraseña; aceptas las condiciones en la"
               " página que se abre al conectarte."),
        "en": (["Is there wifi?", "What is the wifi password?", "Is wifi free?"],
               "Free Wi-Fi throughout the hotel: network HarborInn, no password; accept the terms on the "
               "page that opens when you connect."),
    },
    "pets": {
        "es": (["¿Se admiten mascotas?", "¿Puedo llevar a mi perro?"],
               "Admitimos perros de hasta 25 kg (dos por habitación) por 75 $ por estancia. Los gatos y "
               "otros animales no están permitidos, salvo animales de asistencia."),
        "en": (["Are pets allowed?", "Can I bring my dog?", "Are you pet friendly?"],
               "Dogs up to 50 lb are welcome (two per room) for a $75 fee per stay. Cats and other pets "
               "are not allowed; service animals are always welcome."),
    },
    "address": {
        "es": (["¿Cuál es la dirección?", "¿Dónde estáis?"],
               "Estamos en 200 Atlantic Avenue, Boston, MA 02110, frente al puerto."),
        "en": (["What is the address?", "Where are you located?"],
               "We are at 200 Atlantic Avenue, Boston, MA 02110, on the waterfront."),
    },
    "directions": {
        "es": (["¿Cómo llego desde el aeropuerto?", "¿Cómo llego desde South Station?"],
               "Desde el aeropuerto Logan: la línea Silver SL1 (gratis desde el aeropuerto) hasta South "
               "Station y 10 minutos andando, o taxi por unos 30 $ (15 minutos). Desde South Station: 10 "
               "minutos a pie por Atlantic Avenue; en metro, línea azul hasta Aquarium, a 2 minutos."),
        "en": (["How do I get there from the airport?", "How do I get from South Station?"],
               "From Logan airport: the Silver Line SL1 (free from the airport) to South Station, then a "
               "10-minute walk, or a taxi for about $30 (15 minutes). From South Station: 10 minutes on "
               "foot along Atlantic Avenue; by subway, the Blue Line to Aquarium, 2 minutes away."),
    },
    "phone": {
        "es": (["¿Cuál es vuestro teléfono?", "¿Puedo llamaros?"],
               "Llámanos al +1 212 555 0101 o escribe a frontdesk@harborinn.example; la recepción abre 24 "
               "horas."),
        "en": (["What is your phone number?", "Can I call you?"],
               "Call us at +1 212 555 0101 or email frontdesk@harborinn.example; the front desk is open "
               "24/7."),
    },
    "payment": {
        "es": (["¿Qué formas de pago aceptáis?", "¿Puedo pagar con tarjeta?"],
               "Aceptamos Visa, Mastercard, American Express, Discover, Apple Pay y Google Pay. No "
               "aceptamos efectivo para el depósito: al llegar retenemos 100 $ por noche en la tarjeta."),
        "en": (["Which payment methods do you accept?", "Can I pay by card?", "Do you take amex?"],
               "We accept Visa, Mastercard, American Express, Discover, Apple Pay and Google Pay. Cash is "
               "not accepted for the deposit: we hold $100 per night on your card at check-in."),
    },
    "cancellation": {
        "es": (["¿Cuál es la política de cancelación?", "¿Puedo cancelar gratis?"],
               "Cancelación gratuita hasta las 16:00 (hora de Boston) del día anterior a la llegada; "
               "después se cobra una noche más impuestos."),
        "en": (["What is your cancellation policy?", "Can I cancel for free?"],
               "Free cancellation until 4 pm Boston time the day before arrival; after that one night plus"
               " tax is charged."),
    },
    "late_checkout": {
        "es": (["¿Puedo hacer late check-out?", "¿Puedo salir más tarde?"],
               "El check-out es a las 11:00. Puedes quedarte hasta las 13:00 gratis o hasta las 15:00 por "
               "30 $, según disponibilidad; pídelo en recepción."),
        "en": (["Can I have a late check-out?", "Can I check out later?"],
               "Check-out is at 11 am. You can stay until 1 pm free or until 3 pm for $30, subject to "
               "availability; just ask the front desk."),
    },
    "accessibility": {
        "es": (["¿El hotel es accesible?", "¿Hay ascensor?"],
               "Sí, cumplimos la ADA: entrada y zonas comunes sin escalones, ascensores y habitaciones "
               "accesibles con ducha a ras de suelo o bañera con barras. Pídelo al reservar."),
        "en": (["Is the hotel accessible?", "Is there an elevator?", "Do you have ADA rooms?"],
               "Yes, we are ADA compliant: step-free entrance and public areas, elevators, and accessible "
               "rooms with roll-in showers or tubs with grab bars. Request one when booking."),
    },
    "airport_transfer": {
        "es": (["¿Tenéis traslado al aeropuerto?", "¿Hay shuttle?"],
               "No tenemos shuttle propio, pero reservamos un coche privado desde Logan por 65 $ por "
               "trayecto. Escríbenos tu vuelo con un día de antelación."),
        "en": (["Do you have an airport shuttle?", "Can you pick me up at the airport?"],
               "We have no shuttle of our own, but we book a private car from Logan for $65 each way. Send"
               " us your flight a day ahead."),
    },
    "check_in_out": {
        "es": (["¿A qué hora es el check-in?", "¿A qué hora es el check-out?"],
               "El check-in es a partir de las 16:00 y el check-out a las 11:00. Podemos guardarte el "
               "equipaje."),
        "en": (["What time is check-in?", "What time is check-out?"],
               "Check-in is from 4 pm and check-out is at 11 am. We are happy to store your luggage."),
    },
}

HOTEL_FIELDS = {
    "hotel-sol": {
        "address": "Calle del Sol 12, 28012 Madrid",
        "directions": HOTEL_SOL["directions"]["es"][1],
        "late_checkout_until": datetime.time(14, 0),
        "late_checkout_fee": Decimal("20.00"),
        "cancellation_policy": HOTEL_SOL["cancellation"]["es"][1],
    },
    "harbor-inn": {
        "address": "200 Atlantic Avenue, Boston, MA 02110",
        "directions": HARBOR_INN["directions"]["en"][1],
        "late_checkout_until": datetime.time(15, 0),
        "late_checkout_fee": Decimal("30.00"),
        "cancellation_policy": HARBOR_INN["cancellation"]["en"][1],
    },
}
TIMES = {"hotel-sol": (datetime.time(15, 0), datetime.time(12, 0)),
         "harbor-inn": (datetime.time(16, 0), datetime.time(11, 0))}


def _demo_slug(tenant: Tenant) -> str:
    if tenant.slug in HOTEL_FIELDS:
        return tenant.slug
    return "harbor-inn" if tenant.currency == "USD" else "hotel-sol"


def install_demo_knowledge(tenant: Tenant) -> int:
    """Fill the hotel's knowledge base with the demo answers; returns how many
    FAQ entries it created (0 on a re-run)."""
    slug = _demo_slug(tenant)
    faqs = HOTEL_SOL if slug == "hotel-sol" else HARBOR_INN
    with transaction.atomic():
        fields = [name for name, value in HOTEL_FIELDS[slug].items() if getattr(tenant, name) in ("", None)]
        for name in fields:
            setattr(tenant, name, HOTEL_FIELDS[slug][name])
        if tenant.slug == slug:  # the demo hotels' own times; another hotel keeps its own
            tenant.check_in_time, tenant.check_out_time = TIMES[slug]
            fields += ["check_in_time", "check_out_time"]
        if fields:
            tenant.save(update_fields=fields)
        entries = FAQEntry.objects.with_scope(tenant=tenant)
        existing = set(entries.values_list("topic", "language"))
        created = [
            FAQEntry(tenant=tenant, topic=topic, language=language, questions="\n".join(questions),
                     answer=answer, position=position)
            for position, (topic, languages) in enumerate(faqs.items())
            for language, (questions, answer) in languages.items()
            if (topic, language) not in existing
        ]
        # One row at a time, not bulk_create: each save starts a new cache generation.
        for entry in created:
            entry.save()
    return len(created)
