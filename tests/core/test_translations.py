"""The translation catalogues: complete, not fuzzy, and compiled.

Each msgstr in every ``locale/*/LC_MESSAGES/*.po`` must come back from Django's gettext in that
language: a catalogue edited without ``compilemessages`` (a stale or missing .mo) fails here.
"""

from __future__ import annotations

import re
from gettext import c2py
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation.trans_real import DjangoTranslation

from config.env import BASE_DIR

CATALOGUES = sorted((BASE_DIR / "locale").glob("*/LC_MESSAGES/*.po"))
PLACEHOLDER = re.compile(r"%(?:\([a-z_]+\))?[sdif]|\{[a-z_]*\}")


def _id(path: Path) -> str:
    return f"{path.parts[-3]}/{path.stem}"


def test_every_language_but_english_has_a_catalogue() -> None:
    languages = {code for code, _name in settings.LANGUAGES} - {"en"}
    assert languages
    assert languages <= {path.parts[-3] for path in CATALOGUES if path.stem == "django"}


@pytest.mark.parametrize("path", CATALOGUES, ids=_id)
def test_catalogue_is_complete_and_not_fuzzy(path: Path) -> None:
    catalogue = polib.pofile(str(path))
    assert not catalogue.metadata_is_fuzzy
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    # A "#|" previous msgid marks msgmerge's guess from a similar string: it must be reviewed
    # (and the marker dropped) before it counts as a translation.
    assert [entry.msgid for entry in catalogue if entry.previous_msgid] == []
    for entry in catalogue.translated_entries():
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert text.strip(), entry.msgid
            # The same placeholders, or the formatting raises at run time in that language.
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(entry.msgid))


def _plural_counts(catalogue: polib.POFile) -> dict[int, int]:
    """For each plural form of this catalogue, a number that selects it.

    Read from the catalogue's own Plural-Forms: Django merges its catalogues with others whose
    plural rules may differ (its own French has three forms, ours two).
    """
    header = catalogue.metadata["Plural-Forms"]
    forms = int(re.search(r"nplurals\s*=\s*(\d+)", header).group(1))  # type: ignore[union-attr]
    rule = c2py(re.search(r"plural\s*=\s*([^;]+)", header).group(1))  # type: ignore[union-attr]
    counts: dict[int, int] = {}
    for n in range(1000):
        counts.setdefault(int(rule(n)), n)
    assert len(counts) == forms
    return counts


@pytest.mark.parametrize("path", CATALOGUES, ids=_id)
def test_django_returns_every_translation_so_the_catalogue_is_compiled(path: Path) -> None:
    language, domain = path.parts[-3], path.stem
    catalogue = polib.pofile(str(path))
    entries = catalogue.translated_entries()
    assert entries
    with translation.override(language):
        compiled = DjangoTranslation(language, domain=domain)
        counts = _plural_counts(catalogue)
        for entry in entries:
            if entry.msgid_plural:
                for form, expected in entry.msgstr_plural.items():
                    n = counts[int(form)]
                    if entry.msgctxt:
                        got = compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                    elif domain == "django":
                        got = translation.ngettext(entry.msgid, entry.msgid_plural, n)
                    else:
                        got = compiled.ngettext(entry.msgid, entry.msgid_plural, n)
                    assert got == expected, entry.msgid
            else:
                if entry.msgctxt:
                    got = compiled.pgettext(entry.msgctxt, entry.msgid)
                elif domain == "django":
                    got = translation.gettext(entry.msgid)
                else:
                    got = compiled.gettext(entry.msgid)
                assert got == entry.msgstr, entry.msgid
