import pytest

from rabta.accounts.reference import Province, districts, districts_by_code, pec_number_normalise


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("CIVIL/12345", "CIVIL/12345"),
        ("civil/12345", "CIVIL/12345"),
        ("  Elect - 00981 ", "ELECT/981"),
        ("MECH 7", "MECH/7"),
        ("ELECTRO/999999", "ELECTRO/999999"),
    ],
)
def test_pec_number_normalise_accepts_the_ways_people_type_it(raw, expected):
    assert pec_number_normalise(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "12345",
        "CIVIL/",
        "CIVIL/0",
        "CIVIL/1234567",
        "BAKER/12345",
        "CIVIL/12a45",
        "<script>alert(1)</script>",
        "CIVIL/1; DROP TABLE accounts_user",
        "../../etc/passwd",
        "CIVIL/１２３",  # full-width digits
        "C" * 5000,
        None,
        42,
    ],
)
def test_pec_number_normalise_refuses_what_is_not_a_pec_number(raw):
    assert pec_number_normalise(raw) is None


def test_district_list_covers_every_province_with_unique_codes():
    rows = districts()
    assert len(rows) == len(districts_by_code())
    by_province = {p: sum(1 for d in rows if d.province == p) for p in Province.values}
    assert by_province == {
        "Punjab": 41,
        "Sindh": 30,
        "Khyber Pakhtunkhwa": 36,
        "Balochistan": 36,
        "Islamabad Capital Territory": 1,
        "Gilgit-Baltistan": 14,
        "Azad Jammu and Kashmir": 10,
    }
    assert all(d.name_ur for d in rows)
    karachi = {d.name for d in rows if d.name.startswith("Karachi")}
    assert len(karachi) == 7
