"""The portal's country names (CLDR through Babel, with the office's few corrections) and the destinations
of a trip abroad: no China, no Hong Kong, Macao or Taiwan; sorted by pinyin in Chinese, by name in
English; a raised advisory level beside the name."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from foreign_affairs.security.countries import (
    country_name,
    destination_choices,
    join_names,
    validate_destination,
)
from foreign_affairs.security.models import CountryAdvisory
from foreign_affairs.security.selectors import advised_destinations


def codes(choices) -> list[str]:
    return [code for code, _label in choices]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_destinations_leave_out_china_and_its_regions(language):
    offered = set(codes(destination_choices(language)))
    assert not offered & {"CN", "TW", "HK", "MO"}
    assert {"DE", "SY", "SZ", "BA", "MK", "US"} <= offered


@pytest.mark.parametrize(
    ("code", "chinese", "english"),
    [
        ("BA", "波斯尼亚和黑塞哥维那", "Bosnia"),
        ("MK", "北马其顿", "North Macedonia"),
        ("SZ", "埃斯瓦蒂尼", "Eswatini"),
    ],
)
def test_names_are_current_and_whole(code, chinese, english):
    assert country_name(code, "zh-hans") == chinese
    assert country_name(code, "en").startswith(english)
    with translation.override("zh-hans"):
        label = dict(destination_choices())[code]
    assert label.startswith(f"{chinese} ") and english in label  # "埃斯瓦蒂尼 Eswatini"


def test_regions_of_china_are_named_as_regions_of_china():
    assert [country_name(code, "zh-hans") for code in ("HK", "MO", "TW")] == [
        "中国香港",
        "中国澳门",
        "中国台湾",
    ]
    assert country_name("TW", "en") == "Taiwan, China"


def test_the_chinese_list_is_in_pinyin_order():
    with translation.override("zh-hans"):
        order = codes(destination_choices())
    # 阿尔巴尼亚 (a), 德国 (de), 中非共和国 (zhong): not Albania, Central African Republic, Germany.
    assert order.index("AL") < order.index("DE") < order.index("CF")
    assert order[0] == "AL"
    assert order.index("AU") < order.index("BR") < order.index("JP") < order.index("SY")


def test_the_english_list_is_in_the_order_of_the_english_names():
    with translation.override("en"):
        choices = destination_choices()
    order = codes(choices)
    assert order.index("AL") < order.index("CF") < order.index("DE")
    assert order.index("AX") < order.index("AL")  # Åland Islands among the A
    labels = [label.casefold() for _code, label in choices if label.isascii()]
    assert labels == sorted(labels)
    assert dict(choices)["DE"] == "Germany"


def test_names_follow_the_reader():
    assert join_names("DE,FR", "zh-hans") == "德国、法国"
    assert join_names(["DE", "FR"], "en") == "Germany, France"
    with translation.override("en"):
        assert join_names("SZ") == "Eswatini"


@pytest.mark.django_db
def test_a_raised_advisory_level_is_shown_beside_the_destination_in_one_query():
    CountryAdvisory.objects.create(country="SY", level="high")
    CountryAdvisory.objects.create(country="MX", level="medium")
    CountryAdvisory.objects.create(country="DE", level="low")
    with translation.override("en"), CaptureQueriesContext(connection) as queries:
        labels = dict(advised_destinations())
    assert len(queries) == 1
    assert labels["SY"] == "Syria · high risk"
    assert labels["MX"] == "Mexico · increased caution"
    assert labels["DE"] == "Germany"  # normal precautions: nothing added
    with translation.override("zh-hans"):
        assert dict(advised_destinations())["SY"].startswith("叙利亚 Syria · ")


@pytest.mark.parametrize("code", ["CN", "HK", "MO", "TW", "cn"])
def test_china_and_its_regions_are_refused_as_destinations(code):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        validate_destination(code)
    assert refused.value.code == "not_destination"
    if code.upper() in ("HK", "MO", "TW"):
        assert "因公赴港澳台" in refused.value.messages[0]
        assert country_name(code, "en") in refused.value.messages[0]


def test_other_countries_pass():
    validate_destination("DE")
    validate_destination("SY")
