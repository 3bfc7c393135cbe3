import pytest

from app.kz.regions import all_regions, get_district, get_region

LOCALES = ("kk", "ru", "en")


def test_twenty_regions_17_oblasts_and_3_cities():
    regions = all_regions()
    assert len(regions) == 20
    assert sum(r.kind == "region" for r in regions) == 17
    assert {r.code for r in regions if r.kind == "city"} == {"ALA", "AST", "SHY"}


def test_order_cities_first_then_by_code():
    codes = [r.code for r in all_regions()]
    assert codes[:3] == ["ALA", "AST", "SHY"]
    assert codes[3:] == sorted(codes[3:])


def test_codes_are_unique():
    codes = [r.code for r in all_regions()]
    district_codes = [d.code for r in all_regions() for d in r.districts]
    assert len(set(codes)) == len(codes)
    assert len(set(district_codes)) == len(district_codes)
    for region in all_regions():
        assert region.code.isupper() and len(region.code) == 3
        for district in region.districts:
            assert district.code.startswith(region.code + "-")


def test_every_name_in_kk_ru_en():
    for region in all_regions():
        for item in (region, *region.districts):
            assert set(item.names) == set(LOCALES), item.code
            assert all(item.names[locale].strip() for locale in LOCALES), item.code


def test_almaty_city_has_8_districts():
    almaty = get_region("ALA")
    assert almaty.kind == "city"
    assert len(almaty.districts) == 8
    assert "ALA-ALATAU" in [d.code for d in almaty.districts]


def test_mangystau_has_2_cities_and_5_districts():
    mangystau = get_region("MAN")
    assert mangystau.kind == "region"
    assert len(mangystau.districts) == 7
    assert sum(d.code in {"MAN-AKTAU", "MAN-ZHANAOZEN"} for d in mangystau.districts) == 2


@pytest.mark.parametrize(
    ("code", "locale", "name"),
    [
        ("ALA", "kk", "Алматы қаласы"),
        ("ALA", "ru", "город Алматы"),
        ("ALA", "en", "Almaty city"),
        ("ALA", "kk_KZ", "Алматы қаласы"),
        ("ALA", "de", "город Алматы"),  # unknown locale falls back to ru
        ("MAN", "kk", "Маңғыстау облысы"),
        ("MAN", "ru", "Мангистауская область"),
        ("MAN", "en", "Mangystau Region"),
    ],
)
def test_region_name(code, locale, name):
    assert get_region(code).name(locale) == name


@pytest.mark.parametrize(
    ("code", "locale", "name"),
    [
        ("ALA-ALATAU", "kk", "Алатау ауданы"),
        ("ALA-ALATAU", "ru", "Алатауский район"),
        ("MAN-AKTAU", "kk", "Ақтау қаласы"),
        ("MAN-AKTAU", "ru", "город Актау"),
        ("MAN-AKTAU", "en", "Aktau city"),
        ("MAN-AKTAU", "fr", "город Актау"),
    ],
)
def test_district_name(code, locale, name):
    assert get_district(code).name(locale) == name


@pytest.mark.parametrize("code", ["XXX", "ala", ""])
def test_unknown_region(code):
    with pytest.raises(KeyError):
        get_region(code)


def test_unknown_district():
    with pytest.raises(KeyError):
        get_district("ALA-NOWHERE")


def test_regions_are_read_only():
    region = get_region("ALA")
    with pytest.raises(AttributeError):
        region.code = "XXX"
    with pytest.raises(TypeError):
        region.names["en"] = "Somewhere"
    assert hash(region) == hash(get_region("ALA"))
