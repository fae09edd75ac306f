"""Message catalogues: every key in every language."""

import re

import pytest

from geo.i18n import LANGUAGES, catalogue, feature_name, status_label, t
from geo.vocabulary import ACCURACY_LEVELS, STATUSES


def test_every_language_has_every_key():
    keys = {lang: set(catalogue(lang)) for lang in LANGUAGES}
    union = set().union(*keys.values())
    missing = {lang: sorted(union - k) for lang, k in keys.items() if union - k}
    assert not missing, f"keys missing per language: {missing}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_agree_with_english(lang):
    english = catalogue("en")
    for key, text in catalogue(lang).items():
        assert set(re.findall(r"{(\w+)}", text)) == set(re.findall(r"{(\w+)}", english[key])), key


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_status_and_accuracy_has_a_label(lang):
    for status in STATUSES:
        assert status_label(status, lang)
    for accuracy in ACCURACY_LEVELS:
        assert t(f"accuracy.{accuracy}", lang)
    assert status_label(None, lang)


def test_labels_differ_between_languages():
    labels = {status_label("under_construction", lang) for lang in LANGUAGES}
    assert len(labels) == len(LANGUAGES)


def test_missing_key_names_key_and_language():
    with pytest.raises(KeyError, match=r"no\.such\.key.*zh\.json"):
        t("no.such.key", "zh")


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        catalogue("fr")


def test_feature_name_falls_back_to_english_only_when_unknown():
    props = {"name_vi": "Cửa khẩu Tân Thanh", "name_en": "Tân Thanh gate", "name_zh": None}
    assert feature_name(props, "vi") == "Cửa khẩu Tân Thanh"
    assert feature_name(props, "zh") == "Tân Thanh gate"
    props["name_zh"] = "新清口岸"
    assert feature_name(props, "zh") == "新清口岸"
