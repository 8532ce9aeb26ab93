"""Every string staff or guests read has its Spanish translation, compiled.

`make messages` collects new strings into locale/*/LC_MESSAGES/django.po; this
fails when one is left untranslated or fuzzy in Spanish, or when the compiled
catalogue CI ships (django.mo) does not hold what the .po says."""
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def frozen(value):
    """read_mo gives a plural entry's id and strings as lists, read_po as tuples."""
    return tuple(value) if isinstance(value, (list, tuple)) else value


def catalog(language: str):
    with open(LOCALE / language / "LC_MESSAGES" / "django.po", "rb") as po:
        return read_po(po, locale=language)


def test_both_languages_have_a_catalogue():
    for language in ("es", "en"):
        assert (LOCALE / language / "LC_MESSAGES" / "django.po").is_file(), language


def test_every_spanish_string_is_translated_and_none_is_fuzzy():
    po = catalog("es")
    missing = [m.id for m in po if m.id and not (
        all(m.string) if isinstance(m.string, tuple) else m.string)]
    fuzzy = [m.id for m in po if m.id and m.fuzzy]
    assert not missing, f"{len(missing)} untranslated, e.g. {missing[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


@pytest.mark.parametrize("language", ["es"])
def test_the_compiled_catalogue_matches_the_source(language):
    mo_path = LOCALE / language / "LC_MESSAGES" / "django.mo"
    with open(mo_path, "rb") as mo:
        compiled = {frozen(m.id): frozen(m.string) for m in read_mo(mo) if m.id}
    source = {frozen(m.id): frozen(m.string) for m in catalog(language) if m.id and not m.fuzzy}
    assert compiled == source, "run `make compile-messages`"
