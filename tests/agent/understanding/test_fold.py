"""fold: how every reader compares words, accents and case aside."""
import pytest

from webhooks.agent.understanding.text import fold


@pytest.mark.parametrize(("text", "folded"), [
    ("Mañana", "manana"),
    ("¿Tenéis HABITACIÓN?", "¿teneis habitacion?"),
    ("el 1º de mayo, 2ª planta", "el 1 de mayo, 2 planta"),
    ("PLAIN ascii Text 12", "plain ascii text 12"),
    ("Ｆｕｌｌｗｉｄｔｈ", "fullwidth"),  # NFKD folds compatibility forms too
    ("", ""),
    (None, ""),
])
def test_fold_lowers_and_takes_accents_off(text, folded):
    assert fold(text) == folded


def test_the_same_text_folds_the_same_every_time():
    assert fold("Señora Muñoz") == fold("Señora Muñoz") == "senora munoz"
