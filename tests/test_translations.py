"""The kk, ru and en catalogues are complete: every message in the code is translated, none is
fuzzy, and every translation keeps the placeholders of its original."""
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = ("kk", "ru", "en")


def catalogue(lang):
    with open(ROOT / "app" / "translations" / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=lang)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    CommandLineInterface().run(["pybabel", "extract", "-F", str(ROOT / "babel.cfg"),
                                "-k", "_l", "-o", str(pot), str(ROOT)])
    with open(pot, "rb") as f:
        return {m.id for m in read_po(f) if m.id}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_has_every_message_of_the_code(lang, extracted):
    ids = {m.id for m in catalogue(lang) if m.id}
    missing = extracted - ids
    assert not missing, f"{lang}: run `make extract-messages` and translate: {sorted(map(str, missing))[:10]}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_has_no_untranslated_or_fuzzy_message(lang):
    bad = [m.id for m in catalogue(lang) if m.id and (
        m.fuzzy or not (all(m.string) if isinstance(m.string, (list, tuple)) else m.string))]
    assert not bad, f"{lang}: untranslated or fuzzy: {bad[:10]}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_their_placeholders(lang):
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalogue(lang).check() if errors]
    assert not problems, problems[:5]
