"""Stays as guests really write them, read with a fixed "today", and the ones we must ask about."""
import datetime

import pytest

from webhooks.agent.understanding.dates import extract_stay
from webhooks.agent.understanding.durations import extract_nights

D = datetime.date
WED = D(2026, 12, 2)  # a Wednesday, four weeks before New Year
EVE = D(2026, 12, 29)  # a Tuesday, two days before New Year's Eve
SUN = D(2027, 1, 10)  # a Sunday
THU = D(2026, 12, 3)  # a Thursday

STAYS = [
    # over month and year ends
    (WED, "es", "del 30 al 2", D(2026, 12, 30), D(2027, 1, 2)),
    (WED, "en", "the 30th to the 2nd", D(2026, 12, 30), D(2027, 1, 2)),
    (WED, "en", "from the 30th to the 2nd", D(2026, 12, 30), D(2027, 1, 2)),
    (EVE, "es", "del 30 al 2", D(2026, 12, 30), D(2027, 1, 2)),
    (EVE, "en", "30th to the 2nd", D(2026, 12, 30), D(2027, 1, 2)),
    (EVE, "es", "del 31 al 3", D(2026, 12, 31), D(2027, 1, 3)),
    (SUN, "es", "del 30 al 2", D(2027, 1, 30), D(2027, 2, 2)),
    (SUN, "en", "the 30th to the 2nd", D(2027, 1, 30), D(2027, 2, 2)),
    (WED, "es", "del 28 al 2 de enero", D(2026, 12, 28), D(2027, 1, 2)),
    (WED, "es", "del 30 de diciembre al 2 de enero", D(2026, 12, 30), D(2027, 1, 2)),
    (WED, "en", "Dec 30 to Jan 2", D(2026, 12, 30), D(2027, 1, 2)),
    (WED, "en", "dec 30 - jan 2", D(2026, 12, 30), D(2027, 1, 2)),
    (EVE, "es", "30/12 al 2/1", D(2026, 12, 30), D(2027, 1, 2)),
    (WED, "es", "del 14 al 16", D(2026, 12, 14), D(2026, 12, 16)),
    (WED, "es", "el 8", D(2026, 12, 8), None),
    (WED, "es", "el 1", D(2027, 1, 1), None),
    # relative days and nights
    (WED, "es", "pasado mañana 3 noches", D(2026, 12, 4), D(2026, 12, 7)),
    (WED, "es", "pasado manana x 3 noches", D(2026, 12, 4), D(2026, 12, 7)),
    (WED, "es", "mañana 2 noches", D(2026, 12, 3), D(2026, 12, 5)),
    (WED, "es", "manana 2 noches", D(2026, 12, 3), D(2026, 12, 5)),
    (WED, "es", "mañana, 2 nochs", D(2026, 12, 3), D(2026, 12, 5)),
    (WED, "es", "mañana tres noches", D(2026, 12, 3), D(2026, 12, 6)),
    (WED, "es", "hoy 1 noche", D(2026, 12, 2), D(2026, 12, 3)),
    # "for tonight", "para mañana por la noche": one night, as a receptionist hears it;
    # arriving at night says when, not how long.
    (WED, "es", "para esta noche", D(2026, 12, 2), D(2026, 12, 3)),
    (WED, "en", "a room for tomorrow night", D(2026, 12, 3), D(2026, 12, 4)),
    (WED, "en", "do you have a room tomorrow night?", D(2026, 12, 3), D(2026, 12, 4)),
    (WED, "es", "tienen habitacion mañana por la noche?", D(2026, 12, 3), D(2026, 12, 4)),
    (WED, "es", "hay algo libre el sabado por la noche", D(2026, 12, 5), D(2026, 12, 6)),
    (WED, "es", "llegamos mañana por la noche", D(2026, 12, 3), None),
    (WED, "es", "mañana por la noche, 3 noches", D(2026, 12, 3), D(2026, 12, 6)),
    (WED, "en", "we arrive friday night and leave sunday", D(2026, 12, 4), D(2026, 12, 6)),
    (WED, "es", "del viernes por la noche al domingo", D(2026, 12, 4), D(2026, 12, 6)),
    (WED, "es", "llegamos el viernes por la tarde y nos vamos el domingo", D(2026, 12, 4), D(2026, 12, 6)),
    (WED, "es", "buenas noches, una habitacion para mañana", D(2026, 12, 3), None),
    (EVE, "es", "mañana 3 noche", D(2026, 12, 30), D(2027, 1, 2)),
    (WED, "en", "tomorrow for 2 nights", D(2026, 12, 3), D(2026, 12, 5)),
    (WED, "en", "tomorrow 2 nites", D(2026, 12, 3), D(2026, 12, 5)),
    (WED, "en", "day after tomorrow, 3 nights", D(2026, 12, 4), D(2026, 12, 7)),
    (WED, "en", "day after tomorrow 3 nigths", D(2026, 12, 4), D(2026, 12, 7)),
    (WED, "en", "tonight, two nites", D(2026, 12, 2), D(2026, 12, 4)),
    (EVE, "en", "tomorrow for 3 nights", D(2026, 12, 30), D(2027, 1, 2)),
    (WED, "en", "today for one nite", D(2026, 12, 2), D(2026, 12, 3)),
    # weekends
    (WED, "en", "this weekend", D(2026, 12, 4), D(2026, 12, 6)),
    (WED, "en", "next weekend", D(2026, 12, 4), D(2026, 12, 6)),
    (WED, "en", "the weekend after next", D(2026, 12, 11), D(2026, 12, 13)),
    (WED, "en", "weekend after next", D(2026, 12, 11), D(2026, 12, 13)),
    (WED, "en", "not this weekend, the one after", D(2026, 12, 11), D(2026, 12, 13)),
    (WED, "es", "este finde", D(2026, 12, 4), D(2026, 12, 6)),
    (WED, "es", "el finde", D(2026, 12, 4), D(2026, 12, 6)),
    (WED, "es", "el finde que viene", D(2026, 12, 4), D(2026, 12, 6)),
    (WED, "es", "el finde que viene no, el siguiente", D(2026, 12, 11), D(2026, 12, 13)),
    (WED, "es", "este finde no el siguiente", D(2026, 12, 11), D(2026, 12, 13)),
    (WED, "es", "el fin de semana siguiente al próximo", D(2026, 12, 11), D(2026, 12, 13)),
    (WED, "es", "el fin de semana siguiente al proximo", D(2026, 12, 11), D(2026, 12, 13)),
    (WED, "es", "este fin de semana", D(2026, 12, 4), D(2026, 12, 6)),
    (WED, "es", "este finde 1 noche", D(2026, 12, 4), D(2026, 12, 5)),
    (EVE, "es", "este finde", D(2027, 1, 1), D(2027, 1, 3)),
    (EVE, "en", "this weekend", D(2027, 1, 1), D(2027, 1, 3)),
    (SUN, "es", "este finde", D(2027, 1, 15), D(2027, 1, 17)),
    (SUN, "en", "the weekend after next", D(2027, 1, 22), D(2027, 1, 24)),
    # next month
    (WED, "es", "del 8 al 10 del mes próximo", D(2027, 1, 8), D(2027, 1, 10)),
    (WED, "es", "del 8 al 10 del mes proximo", D(2027, 1, 8), D(2027, 1, 10)),
    (WED, "es", "del 8 al 10 del mes que viene", D(2027, 1, 8), D(2027, 1, 10)),
    (WED, "es", "el 8 del mes que viene 2 noches", D(2027, 1, 8), D(2027, 1, 10)),
    (WED, "en", "8-10 next month", D(2027, 1, 8), D(2027, 1, 10)),
    (WED, "en", "on the 8th of next month for 2 nights", D(2027, 1, 8), D(2027, 1, 10)),
    (WED, "en", "the 8th next month, 2 nights", D(2027, 1, 8), D(2027, 1, 10)),
    (SUN, "en", "8-10 next month", D(2027, 2, 8), D(2027, 2, 10)),
    (SUN, "es", "del 8 al 10 del mes que viene", D(2027, 2, 8), D(2027, 2, 10)),
    # ordinals
    (WED, "en", "the 14th to the 16th", D(2026, 12, 14), D(2026, 12, 16)),
    (WED, "en", "14th-16th of March", D(2027, 3, 14), D(2027, 3, 16)),
    (WED, "en", "14th - 16th march", D(2027, 3, 14), D(2027, 3, 16)),
    (WED, "en", "from the first to the third of May", D(2027, 5, 1), D(2027, 5, 3)),
    (WED, "en", "May first for 2 nights", D(2027, 5, 1), D(2027, 5, 3)),
    (WED, "en", "March twenty-first to 23rd", D(2027, 3, 21), D(2027, 3, 23)),
    (WED, "es", "1ro al 3 de mayo", D(2027, 5, 1), D(2027, 5, 3)),
    (WED, "es", "del 1ro al 3 de mayo", D(2027, 5, 1), D(2027, 5, 3)),
    (WED, "es", "del 1º al 3 de mayo", D(2027, 5, 1), D(2027, 5, 3)),
    (WED, "es", "el primero de mayo", D(2027, 5, 1), None),
    (WED, "es", "el primero de mayo 2 noches", D(2027, 5, 1), D(2027, 5, 3)),
    (WED, "es", "del primero al 3 de mayo", D(2027, 5, 1), D(2027, 5, 3)),
    # weekdays
    (WED, "es", "del viernes 11 al domingo 13", D(2026, 12, 11), D(2026, 12, 13)),
    (WED, "en", "from friday to sunday", D(2026, 12, 4), D(2026, 12, 6)),
    (WED, "en", "friday to sunday", D(2026, 12, 4), D(2026, 12, 6)),
    (WED, "es", "de jueves a sábado", D(2026, 12, 3), D(2026, 12, 5)),
    (WED, "es", "de jueves a sabado", D(2026, 12, 3), D(2026, 12, 5)),
    (WED, "es", "del viernes al lunes", D(2026, 12, 4), D(2026, 12, 7)),
    (WED, "en", "next friday 2 nights", D(2026, 12, 4), D(2026, 12, 6)),
    (WED, "en", "next friday for 2 nites", D(2026, 12, 4), D(2026, 12, 6)),
    (WED, "es", "el martes que viene", D(2026, 12, 8), None),
    (WED, "es", "el martes que viene 2 noches", D(2026, 12, 8), D(2026, 12, 10)),
    (WED, "es", "el miercoles", D(2026, 12, 2), None),
    (WED, "en", "friday the 11th for 2 nights", D(2026, 12, 11), D(2026, 12, 13)),
    (WED, "en", "Friday, December 11 to Sunday, December 13", D(2026, 12, 11), D(2026, 12, 13)),
    (SUN, "es", "del lunes al miercoles", D(2027, 1, 11), D(2027, 1, 13)),
    (SUN, "en", "from sunday to tuesday", D(2027, 1, 10), D(2027, 1, 12)),
    # month names, abbreviations and casing
    (WED, "es", "14-16 ene", D(2027, 1, 14), D(2027, 1, 16)),
    (WED, "es", "14-16 ENE", D(2027, 1, 14), D(2027, 1, 16)),
    (WED, "es", "del 14 al 16 de Enero", D(2027, 1, 14), D(2027, 1, 16)),
    (WED, "es", "14 al 16 de ene.", D(2027, 1, 14), D(2027, 1, 16)),
    (WED, "en", "Jan 14-16", D(2027, 1, 14), D(2027, 1, 16)),
    (WED, "en", "JAN 14 - 16", D(2027, 1, 14), D(2027, 1, 16)),
    (WED, "en", "jan 14 to jan 16", D(2027, 1, 14), D(2027, 1, 16)),
    (WED, "en", "january 14th to 16th", D(2027, 1, 14), D(2027, 1, 16)),
    (WED, "es", "14/1 al 16/1", D(2027, 1, 14), D(2027, 1, 16)),
    (WED, "en", "14/1 to 16/1", D(2027, 1, 14), D(2027, 1, 16)),
    (WED, "en", "1/14 to 1/16", D(2027, 1, 14), D(2027, 1, 16)),
    (WED, "es", "14.01-16.01", D(2027, 1, 14), D(2027, 1, 16)),
    (WED, "es", "14.01.2027 - 16.01.2027", D(2027, 1, 14), D(2027, 1, 16)),
    (WED, "en", "2027-01-14 to 2027-01-16", D(2027, 1, 14), D(2027, 1, 16)),
    (WED, "es", "2027-01-14 al 2027-01-16", D(2027, 1, 14), D(2027, 1, 16)),
    (WED, "es", "del 5 al 8 de febrero", D(2027, 2, 5), D(2027, 2, 8)),
    (WED, "es", "del 5 al 8 de feb", D(2027, 2, 5), D(2027, 2, 8)),
    (WED, "es", "del 5 al 8 de setiembre", D(2027, 9, 5), D(2027, 9, 8)),
    (WED, "es", "del 12 al 14 de marzo para 2 adultos", D(2027, 3, 12), D(2027, 3, 14)),
    (WED, "es", "quiero del 20 al 23 de diciembre", D(2026, 12, 20), D(2026, 12, 23)),
    (WED, "en", "Dec 20-23 for two people", D(2026, 12, 20), D(2026, 12, 23)),
    (WED, "en", "3/12-3/14", D(2027, 3, 12), D(2027, 3, 14)),
    (WED, "en", "12/20 to 12/23", D(2026, 12, 20), D(2026, 12, 23)),
    (WED, "en", "12/3 to 12/5", D(2026, 12, 3), D(2026, 12, 5)),
    (WED, "es", "el 14 de enero 3 noches", D(2027, 1, 14), D(2027, 1, 17)),
    (WED, "es", "llegamos el 14 de enero y nos vamos el 16", D(2027, 1, 14), D(2027, 1, 16)),
    (WED, "en", "arriving jan 14, leaving jan 16", D(2027, 1, 14), D(2027, 1, 16)),
    (SUN, "es", "del 14 al 16", D(2027, 1, 14), D(2027, 1, 16)),
    (SUN, "es", "del 5 al 7", D(2027, 2, 5), D(2027, 2, 7)),
    (SUN, "es", "del 5 al 7 de enero de 2028", D(2028, 1, 5), D(2028, 1, 7)),
    (SUN, "es", "el 10 de enero 1 noche", D(2027, 1, 10), D(2027, 1, 11)),
    (SUN, "es", "el 9 de enero", D(2028, 1, 9), None),
    # a month misspelt next to its day: read as that month, not dropped ("12 de henero" is
    # not the 12th of this month)
    (THU, "es", "kiero reserbar pa 3 personas el 12 de henero 2 noches", D(2027, 1, 12), D(2027, 1, 14)),
    (THU, "es", "del 5 al 8 de henero", D(2027, 1, 5), D(2027, 1, 8)),
    (THU, "es", "del 3 al 6 de agsoto", D(2027, 8, 3), D(2027, 8, 6)),
    (THU, "es", "el 20 de febreo 3 noches", D(2027, 2, 20), D(2027, 2, 23)),
    (THU, "es", "del 14 al 16 de dicienbre", D(2026, 12, 14), D(2026, 12, 16)),
    (THU, "es", "llegamos el 2 de nobiembre, 2 noches", D(2027, 11, 2), D(2027, 11, 4)),
    (THU, "es", "1 de abirl por 2 noches", D(2027, 4, 1), D(2027, 4, 3)),
    (THU, "en", "janury 12 to 14", D(2027, 1, 12), D(2027, 1, 14)),
    (THU, "en", "feburary 2-4", D(2027, 2, 2), D(2027, 2, 4)),
    (THU, "en", "from the 4th of septmber for 2 nights", D(2027, 9, 4), D(2027, 9, 6)),
    (THU, "en", "ocotber 10 for 3 nights", D(2027, 10, 10), D(2027, 10, 13)),
    # days joined by "y/and" are the nights; "entre … y", "between", "del … al" are not
    (THU, "es", "el 13 y 14 de febrero, somos pareja", D(2027, 2, 13), D(2027, 2, 15)),
    (THU, "es", "el 13 y el 14 de febrero", D(2027, 2, 13), D(2027, 2, 15)),
    (THU, "es", "el 13, 14 y 15 de febrero", D(2027, 2, 13), D(2027, 2, 16)),
    (THU, "en", "the 13th and 14th of february", D(2027, 2, 13), D(2027, 2, 15)),
    (THU, "en", "12, 13 and 14 march", D(2027, 3, 12), D(2027, 3, 15)),
    # Arrival and departure, not nights:
    (THU, "es", "entre el 13 y el 15 de febrero", D(2027, 2, 13), D(2027, 2, 15)),
    (THU, "en", "between feb 13 and 15", D(2027, 2, 13), D(2027, 2, 15)),
    (THU, "es", "del 13 al 15 de febrero", D(2027, 2, 13), D(2027, 2, 15)),
    # the weekend of a date is that date's weekend, not this one
    (THU, "es", "el finde del 16 de enero", D(2027, 1, 15), D(2027, 1, 17)),
    (THU, "es", "el fin de semana del 14 de enero", D(2027, 1, 15), D(2027, 1, 17)),  # a Thursday
    (THU, "en", "the weekend of jan 16", D(2027, 1, 15), D(2027, 1, 17)),
    (THU, "en", "weekend of march 7", D(2027, 3, 5), D(2027, 3, 7)),  # a Sunday: its own weekend
    (THU, "es", "el finde del 6 de diciembre", D(2026, 12, 4), D(2026, 12, 6)),
    # a month is thirty nights (the long-stay tier); "next month" and "in a month" say when
    (THU, "es", "precio de un mes, desde el 1 de febrero", D(2027, 2, 1), D(2027, 3, 3)),
    (THU, "en", "a month starting march 1st", D(2027, 3, 1), D(2027, 3, 31)),
    (THU, "es", "el mes que viene del 8 al 10", D(2027, 1, 8), D(2027, 1, 10)),
    # weekdays as phones shorten them, in a range or after "next/this/on"
    (THU, "en", "Do you have availability next fri-sun", D(2026, 12, 4), D(2026, 12, 6)),
    (THU, "en", "fri to sun", D(2026, 12, 4), D(2026, 12, 6)),
    (THU, "en", "on sat for 2 nights", D(2026, 12, 5), D(2026, 12, 7)),
    (THU, "es", "de vie a dom", D(2026, 12, 4), D(2026, 12, 6)),
    (THU, "es", "del vie al dom, somos 2", D(2026, 12, 4), D(2026, 12, 6)),
    (THU, "es", "del 8 al 10 el proximo mes", D(2027, 1, 8), D(2027, 1, 10)),
    (THU, "en", "next month, the 8th to the 10th", D(2027, 1, 8), D(2027, 1, 10)),
    (THU, "es", "el mes que viene, el 20 de febrero 2 noches", D(2027, 2, 20), D(2027, 2, 22)),
]


@pytest.mark.parametrize(("today", "language", "text", "check_in", "check_out"), STAYS)
def test_stays_as_guests_write_them(today, language, text, check_in, check_out):
    stay = extract_stay(text, today, language)

    assert (stay.check_in, stay.check_out, stay.problem) == (check_in, check_out, None)
    if check_out:
        assert stay.nights == (check_out - check_in).days


@pytest.mark.parametrize(("text", "language", "nights"), [
    ("3 nigths", "en", 3),
    ("3 nites", "en", 3),
    ("two nites", "en", 2),
    ("2 nights", "en", 2),
    ("1 nite", "en", 1),
    ("a couple of nites", "en", 2),
    ("2 nochs", "es", 2),
    ("3 noche", "es", 3),
    ("tres noches", "es", 3),
    ("x 3 noches", "es", 3),
    ("una noche", "es", 1),
    ("un par de noches", "es", 2),
    ("un mes", "es", 30),
    ("un mes entero", "es", 30),
    ("2 meses", "es", 60),
    ("for a month", "en", 30),
])
def test_nights_with_typos(text, language, nights):
    assert extract_nights(text, language) == nights
    assert extract_stay(text, WED, language).nights == nights


@pytest.mark.parametrize(("text", "language"), [
    ("dentro de un mes", "es"), ("in a month", "en"), ("reservé hace un mes", "es"), ("a month ago", "en"),
    ("el mes que viene", "es"), ("un mes proximo", "es"),
])
def test_a_month_that_says_when_is_no_length_of_stay(text, language):
    assert extract_nights(text, language) is None


@pytest.mark.parametrize(("text", "language"), [
    ("a room with sun", "en"), ("sun and sea", "en"), ("we sat down", "en"), ("mie", "es"),
])
def test_short_weekday_words_alone_are_no_date(text, language):
    stay = extract_stay(text, WED, language)
    assert (stay.check_in, stay.check_out) == (None, None)


@pytest.mark.parametrize(("text", "language"), [
    ("somos 2 juntos", "es"),
    ("la junior suite 2 noches", "es"),
    ("vamos 2, marco y yo", "es"),
    ("remember 2 towels please", "en"),
    ("2 de ellos son niños", "es"),
    ("1 de mis hijos", "es"),
])
def test_words_a_slip_from_a_month_are_not_months(text, language):
    stay = extract_stay(text, D(2026, 12, 3), language)

    assert stay.check_in is None


@pytest.mark.parametrize(("text", "language", "day_only"), [
    ("del 14 al 16", "es", True),
    ("the 30th to the 2nd", "en", True),
    ("el 8", "es", True),
    ("on the 20th", "en", True),
    ("del 14 al 16 de enero", "es", False),
    ("del 28 al 2 de enero", "es", False),
    ("Jan 14-16", "en", False),
    ("mañana 2 noches", "es", False),
    ("este finde", "es", False),
    ("14/1 al 16/1", "es", False),
])
def test_days_without_a_month_say_so(text, language, day_only):
    assert extract_stay(text, WED, language).day_only is day_only


ANCHORED = [
    # (today, anchor, language, text, check_in, check_out)
    (WED, D(2027, 1, 10), "es", "mejor del 14 al 16", D(2027, 1, 14), D(2027, 1, 16)),
    (WED, D(2027, 1, 10), "es", "del 28 al 2", D(2027, 1, 28), D(2027, 2, 2)),
    (WED, D(2027, 1, 10), "es", "mejor el 8", D(2027, 1, 8), None),
    (WED, D(2027, 1, 10), "es", "del 5 al 7", D(2027, 1, 5), D(2027, 1, 7)),
    (WED, D(2027, 1, 10), "en", "make it the 14th to the 16th", D(2027, 1, 14), D(2027, 1, 16)),
    (WED, D(2027, 1, 10), "en", "actually the 12th for 3 nights", D(2027, 1, 12), D(2027, 1, 15)),
    (WED, D(2027, 1, 10), "es", "mejor del 14 al 16 de diciembre", D(2026, 12, 14), D(2026, 12, 16)),
    (WED, D(2027, 1, 10), "es", "mejor mañana 2 noches", D(2026, 12, 3), D(2026, 12, 5)),
    (WED, D(2027, 1, 10), "en", "Feb 14-16 instead", D(2027, 2, 14), D(2027, 2, 16)),
    (WED, D(2026, 12, 20), "es", "del 22 al 24", D(2026, 12, 22), D(2026, 12, 24)),
    # never before today: an anchor in a month that is over, or its days already gone
    (WED, D(2026, 11, 28), "es", "del 14 al 16", D(2026, 12, 14), D(2026, 12, 16)),
    (WED, D(2026, 12, 20), "es", "el 1", D(2027, 1, 1), None),
    (SUN, D(2027, 1, 20), "es", "del 5 al 7", D(2027, 2, 5), D(2027, 2, 7)),
]


@pytest.mark.parametrize(("today", "anchor", "language", "text", "check_in", "check_out"), ANCHORED)
def test_corrections_read_days_in_the_month_being_discussed(
    today, anchor, language, text, check_in, check_out
):
    stay = extract_stay(text, today, language, anchor=anchor)

    assert (stay.check_in, stay.check_out) == (check_in, check_out)
    assert stay.check_in >= today


PROBLEMS = [
    # (today, language, text, problem, options)
    (WED, "es", "del 19 al 16", "backwards",
     ((D(2026, 12, 16), D(2026, 12, 19)), (D(2026, 12, 19), D(2027, 1, 16)))),
    (WED, "en", "from the 19th to the 16th", "backwards",
     ((D(2026, 12, 16), D(2026, 12, 19)), (D(2026, 12, 19), D(2027, 1, 16)))),
    (WED, "es", "del 19 al 16 de enero", "backwards",
     ((D(2027, 1, 16), D(2027, 1, 19)), (D(2026, 12, 19), D(2027, 1, 16)))),
    (WED, "es", "del 19 de enero al 16 de enero", "backwards", ((D(2027, 1, 16), D(2027, 1, 19)),)),
    (WED, "en", "2027-01-16 to 2027-01-14", "backwards", ((D(2027, 1, 14), D(2027, 1, 16)),)),
    (WED, "en", "Jan 19 - Jan 16", "backwards", ((D(2027, 1, 16), D(2027, 1, 19)),)),
    (WED, "es", "31 de abril", "impossible", ((D(2027, 4, 30), None), (D(2027, 5, 1), None))),
    (WED, "es", "el 31 de abril 2 noches", "impossible",
     ((D(2027, 4, 30), D(2027, 5, 2)), (D(2027, 5, 1), D(2027, 5, 3)))),
    (WED, "es", "del 31 de abril al 3 de mayo", "impossible",
     ((D(2027, 4, 30), D(2027, 5, 3)), (D(2027, 5, 1), D(2027, 5, 3)))),
    (WED, "es", "30 de febrero", "impossible", ((D(2027, 2, 28), None), (D(2027, 3, 1), None))),
    (WED, "en", "feb 30th", "impossible", ((D(2027, 2, 28), None), (D(2027, 3, 1), None))),
    (WED, "es", "29 de febrero", "impossible", ((D(2027, 2, 28), None), (D(2027, 3, 1), None))),
    (WED, "es", "32/5", "impossible", ((D(2027, 5, 31), None), (D(2027, 6, 1), None))),
    (WED, "en", "april 31 for 2 nights", "impossible",
     ((D(2027, 4, 30), D(2027, 5, 2)), (D(2027, 5, 1), D(2027, 5, 3)))),
    (WED, "en", "03/04", "ambiguous", ((D(2027, 3, 4), None), (D(2027, 4, 3), None))),
    (WED, "en", "4/5 for 2 nights", "ambiguous",
     ((D(2027, 4, 5), D(2027, 4, 7)), (D(2027, 5, 4), D(2027, 5, 6)))),
    (WED, "en", "3/4 to the 6th", "ambiguous",
     ((D(2027, 3, 4), D(2027, 3, 6)), (D(2027, 4, 3), D(2027, 4, 6)))),
    (WED, "es", "para el puente de la constitucion", "vague", ((D(2026, 12, 4), D(2026, 12, 9)),)),
    (WED, "es", "el puente de diciembre", "vague", ((D(2026, 12, 4), D(2026, 12, 9)),)),
    (WED, "es", "puente de mayo", "vague", ((D(2027, 4, 29), D(2027, 5, 4)),)),
    (WED, "es", "en el puente del pilar", "vague", ((D(2027, 10, 10), D(2027, 10, 14)),)),
    (EVE, "es", "puente de reyes", "vague", ((D(2027, 1, 3), D(2027, 1, 7)),)),
    (WED, "en", "sometime in spring", "vague", ((D(2027, 3, 20), D(2027, 6, 20)),)),
    (WED, "es", "en primavera", "vague", ((D(2027, 3, 20), D(2027, 6, 20)),)),
    (WED, "en", "in the summer", "vague", ((D(2027, 6, 21), D(2027, 9, 22)),)),
    (WED, "es", "en verano", "vague", ((D(2027, 6, 21), D(2027, 9, 22)),)),
    (WED, "es", "en invierno", "vague", ((D(2026, 12, 21), D(2027, 3, 19)),)),
    (SUN, "en", "this winter", "vague", ((D(2027, 1, 10), D(2027, 3, 19)),)),
    (WED, "en", "in the fall", "vague", ((D(2026, 12, 2), D(2026, 12, 20)),)),  # autumn, till the 20th
    (WED, "es", "en navidad", "vague", ((D(2026, 12, 24), D(2026, 12, 26)),)),
    (WED, "en", "for christmas", "vague", ((D(2026, 12, 24), D(2026, 12, 26)),)),
    (EVE, "es", "para navidades", "vague", ((D(2027, 12, 24), D(2027, 12, 26)),)),
    (WED, "es", "para nochevieja", "vague", ((D(2026, 12, 31), D(2027, 1, 1)),)),
    (WED, "es", "para semana santa", "vague", ((D(2027, 3, 25), D(2027, 3, 28)),)),
    (WED, "en", "over easter", "vague", ((D(2027, 3, 25), D(2027, 3, 28)),)),
    (WED, "es", "algún finde de marzo", "vague",
     ((D(2027, 3, 5), D(2027, 3, 7)), (D(2027, 3, 12), D(2027, 3, 14)), (D(2027, 3, 19), D(2027, 3, 21)),
      (D(2027, 3, 26), D(2027, 3, 28)))),
    (WED, "en", "a weekend in march", "vague",
     ((D(2027, 3, 5), D(2027, 3, 7)), (D(2027, 3, 12), D(2027, 3, 14)), (D(2027, 3, 19), D(2027, 3, 21)),
      (D(2027, 3, 26), D(2027, 3, 28)))),
    (WED, "en", "next month sometime", "vague", ((D(2027, 1, 1), D(2027, 1, 31)),)),
    (WED, "es", "el mes que viene", "vague", ((D(2027, 1, 1), D(2027, 1, 31)),)),
    (WED, "es", "en agosto", "vague", ((D(2027, 8, 1), D(2027, 8, 31)),)),
    (WED, "en", "sometime in may", "vague", ((D(2027, 5, 1), D(2027, 5, 31)),)),
    (WED, "es", "a finales de enero", "vague", ((D(2027, 1, 1), D(2027, 1, 31)),)),
    (WED, "en", "early june", "vague", ((D(2027, 6, 1), D(2027, 6, 30)),)),
    (WED, "es", "en diciembre", "vague", ((D(2026, 12, 2), D(2026, 12, 31)),)),
    (WED, "es", "la semana que viene", "vague", ((D(2026, 12, 7), D(2026, 12, 13)),)),
    (WED, "en", "sometime next week", "vague", ((D(2026, 12, 7), D(2026, 12, 13)),)),
]


@pytest.mark.parametrize(("today", "language", "text", "problem", "options"), PROBLEMS)
def test_what_cannot_be_read_without_guessing_is_a_question(today, language, text, problem, options):
    stay = extract_stay(text, today, language)

    assert (stay.check_in, stay.check_out, stay.problem, stay.options) == (None, None, problem, options)
    assert bool(stay) == bool(stay.nights)  # nothing but nights for the slots until the guest answers


@pytest.mark.parametrize(("today", "language", "text", "check_in", "check_out", "options"), [
    (WED, "es", "del 12 al 14 de marzo de 2025", D(2025, 3, 12), D(2025, 3, 14),
     ((D(2027, 3, 12), D(2027, 3, 14)),)),
    (WED, "en", "March 12, 2026 for 2 nights", D(2026, 3, 12), D(2026, 3, 14),
     ((D(2027, 3, 12), D(2027, 3, 14)),)),
    (SUN, "es", "del 20 al 22 de enero de 2026", D(2026, 1, 20), D(2026, 1, 22),
     ((D(2027, 1, 20), D(2027, 1, 22)),)),
    (SUN, "en", "2026-12-30 to 2027-01-02", D(2026, 12, 30), D(2027, 1, 2),
     ((D(2027, 12, 30), D(2028, 1, 2)),)),
])
def test_a_year_that_has_passed_is_kept_as_written_and_questioned(
    today, language, text, check_in, check_out, options
):
    """The agent says "that date has passed" from the dates; the options are the same days ahead."""
    stay = extract_stay(text, today, language)

    assert (stay.check_in, stay.check_out, stay.problem) == (check_in, check_out, "impossible")
    assert stay.options == options


def test_a_weekday_that_contradicts_its_date_keeps_the_date_and_asks():
    stay = extract_stay("del viernes 12 al domingo 14", WED, "es")  # the 12th is a Saturday

    assert (stay.check_in, stay.check_out, stay.problem) == (D(2026, 12, 12), D(2026, 12, 14), "ambiguous")
    assert stay.options == (
        (D(2026, 12, 12), D(2026, 12, 14)),  # the dates as written
        (D(2027, 2, 12), D(2027, 2, 14)),  # the next month where the 12th is a Friday
        (D(2026, 12, 11), D(2026, 12, 13)),  # the Friday and Sunday around them
    )


def test_a_weekday_that_contradicts_a_named_date_offers_the_nearest_weekday():
    stay = extract_stay("friday december 12, 2 nights", WED, "en")

    assert (stay.check_in, stay.check_out, stay.problem) == (D(2026, 12, 12), D(2026, 12, 14), "ambiguous")
    assert stay.options == ((D(2026, 12, 12), D(2026, 12, 14)), (D(2026, 12, 11), D(2026, 12, 13)))


def test_vague_words_with_nights_keep_the_nights():
    stay = extract_stay("en verano, 3 noches", WED, "es")

    assert (stay.check_in, stay.nights, stay.problem) == (None, 3, "vague")


def test_an_anchor_never_moves_a_day_before_today():
    stay = extract_stay("el 1", EVE, "es", anchor=D(2026, 12, 30))

    assert stay.check_in == D(2027, 1, 1)


@pytest.mark.parametrize(("text", "language"), [
    ("is the pool open?", "en"),
    ("may I book a room?", "en"),
    ("una habitación con vista al mar", "es"),
    ("por la mañana", "es"),
    ("the first floor please", "en"),
    ("primero quiero saber el precio", "es"),
    ("2 personas", "es"),
])
def test_ordinary_words_are_no_dates_and_no_problem(text, language):
    stay = extract_stay(text, WED, language)

    assert not stay
    assert stay.problem is None


@pytest.mark.parametrize(("text", "language", "anchor", "check_in", "check_out"), [
    ("and the following weekend?", "en", D(2026, 12, 4), D(2026, 12, 11), D(2026, 12, 13)),
    ("y el finde siguiente?", "es", D(2026, 12, 4), D(2026, 12, 11), D(2026, 12, 13)),
    ("el siguiente fin de semana", "es", D(2026, 12, 12), D(2026, 12, 18), D(2026, 12, 20)),
    ("the following weekend", "en", None, D(2026, 12, 4), D(2026, 12, 6)),  # said on a Thursday
])
def test_the_following_weekend_is_the_one_after_the_stay_discussed(
    text, language, anchor, check_in, check_out
):
    stay = extract_stay(text, D(2026, 12, 3), language, anchor=anchor)

    assert (stay.check_in, stay.check_out) == (check_in, check_out)
