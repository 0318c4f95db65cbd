"""证书查询's kernel: names masked as the public page shows them, codes as people type them."""

import datetime

import pytest

from portal import certificates


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("张晓明", "张*明"),
        ("李华", "李*"),
        ("欧阳春华", "欧**华"),
        ("王", "王"),
        ("", ""),
        ("张明（演示）", "张*（演示）"),
    ],
)
def test_a_persons_name_shows_only_its_first_and_last_characters(name, shown):
    assert certificates.mask_name(name) == shown


def test_a_code_is_read_whatever_its_case_spaces_and_hyphens():
    assert certificates.normalise(" c2n5-fuu5 axu7-8bt5 ") == "C2N5FUU5AXU78BT5"
    assert certificates.normalise("x" * 100) == "X" * certificates.MAX_CODE_LENGTH


@pytest.mark.django_db
def test_an_app_registered_lookup_is_asked_and_an_unknown_code_finds_nothing():
    issued = certificates.Certificate(
        holder="张*明", kind="培训证明", certifies="12 学时", issuer="协会", issued_on=datetime.date(2026, 1, 5)
    )

    def lookup(code):
        return issued if code == "ABCD" else None

    certificates.register(lookup)
    try:
        assert certificates.find("ab-cd") is issued
        assert certificates.find("ABCE") is None
        assert certificates.find("") is None
    finally:
        certificates._lookups.remove(lookup)
