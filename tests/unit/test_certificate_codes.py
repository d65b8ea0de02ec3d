"""Certificate codes: no look-alike characters, grouped for paper, read back however they are typed."""

import re

import pytest

from app.training import certificate_codes

STORED = "7KQM-X3PD-HN9T-C2WF"


def test_new_codes_are_grouped_without_look_alikes_and_unguessable():
    codes = {certificate_codes.new_code() for _ in range(500)}
    assert len(codes) == 500
    assert all(re.fullmatch(r"[23456789A-HJKMNP-Z]{4}(-[23456789A-HJKMNP-Z]{4}){3}", code) for code in codes)
    assert not set("01OIL") & set("".join(codes))
    # Every character of the alphabet turns up: 31 choices a character, 16 characters (~79 bits).
    assert set("".join(codes).replace("-", "")) == set(certificate_codes.ALPHABET)


@pytest.mark.parametrize("typed", [STORED, "7kqm-x3pd-hn9t-c2wf", "7KQMX3PDHN9TC2WF", "7kqm x3pd hn9t c2wf",
                                   " 7KQM-X3PD HN9TC2WF ", "7kq-mx3p-dhn9-tc2wf"])
def test_a_code_is_read_back_however_it_is_typed(typed):
    assert certificate_codes.normalised(typed) == STORED
    assert certificate_codes.candidates(typed)[-1] == STORED


@pytest.mark.parametrize("typed", ["7KQM-X3PD-HN9T-C2W", "7KQM-X3PD-HN9T-C2WFF", "0KQM-X3PD-HN9T-C2WF",
                                   "7KQM-X3PD-HN9T-C2W_", ""])
def test_what_cannot_be_a_current_code_is_not_normalised(typed):
    assert certificate_codes.normalised(typed) is None


def test_an_older_code_is_looked_up_exactly_as_it_was_stored():
    older = "aB3_xY-9kLmN0pQr"  # 16 URL-safe characters, case matters
    assert certificate_codes.candidates(older) == [older]
    # An older code that happens to read as a current one is still tried exactly first.
    assert certificate_codes.candidates("abcdefghjkmnpqrs") == ["abcdefghjkmnpqrs", "ABCD-EFGH-JKMN-PQRS"]
    assert certificate_codes.candidates("x" * 65) == []
