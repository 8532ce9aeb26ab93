"""Number words guests type instead of digits ("dos", "three"), in both languages."""
from text_to_num import alpha2digit

NUMBER_WORDS = {
    "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8,
    "nueve": 9, "diez": 10, "doce": 12, "trece": 13, "catorce": 14, "quince": 15,
    "dieciseis": 16, "diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "veinte": 20,
    "veintiuno": 21, "veintidos": 22, "veintitres": 23, "veinticuatro": 24, "veinticinco": 25,
    "veintiseis": 26, "veintisiete": 27, "veintiocho": 28, "veintinueve": 29, "treinta": 30,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}


def words_to_digits(text: str, language: str = "es") -> str:
    """Spelled-out numbers beyond the small table ("veintidós", "cuarenta y dos",
    "twenty two") as digits, through text2num; the text unchanged if it cannot read it."""
    try:
        return alpha2digit(text or "", "en" if language == "en" else "es")
    except (ValueError, KeyError, IndexError):
        return text or ""
