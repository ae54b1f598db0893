"""The edge validators: one per kind of field, each with a message a person can act on."""
from __future__ import annotations

import pytest

from bot import inputs
from bot.dialogue import plain

CONTROLS = ["\x00", "a\x00b", "\x01", "\x08", "\x1b[31m", "\x7f", "\x85", "\ud800"]


@pytest.mark.parametrize("value", CONTROLS)
def test_control_characters_are_refused_in_every_text_field(value):
    for check in (inputs.search, lambda v, f: inputs.identifier(v, f), lambda v, f: inputs.text(v, f),
                  lambda v, f: inputs.text(v, f, multiline=True)):
        with pytest.raises(inputs.InvalidInput) as raised:
            check(value, "search")
        assert raised.value.field == "search"
        assert "must not contain control characters (such as a NUL byte)" in str(raised.value)


def test_text_keeps_what_people_type():
    assert inputs.search("  grab   rails\u00a0EM3 ") == "grab rails EM3"
    assert inputs.search("Ysbyty Gwynedd – café") == "Ysbyty Gwynedd – café"
    assert inputs.text("line one\r\nline two\ttabbed", "note", multiline=True) == "line one\r\nline two\ttabbed"
    assert inputs.search(None) == ""
    with pytest.raises(inputs.InvalidInput):
        inputs.text("line one\nline two", "name")  # one-line fields keep to one line


def test_lengths_are_capped_per_kind_of_field():
    assert inputs.search("a" * inputs.MAX_SEARCH) == "a" * inputs.MAX_SEARCH
    with pytest.raises(inputs.InvalidInput, match="must be 200 characters or fewer"):
        inputs.search("a" * (inputs.MAX_SEARCH + 1), label="Search")
    with pytest.raises(inputs.InvalidInput, match="255 characters or fewer"):
        inputs.identifier("x" * 256, "organization_id")


@pytest.mark.parametrize("raw, expected", [("7", 7), (" 12 ", 12), ("+3", 3), ("", None), (None, None)])
def test_whole_numbers(raw, expected):
    assert inputs.whole_number(raw, "page", lo=0, hi=100) == expected


@pytest.mark.parametrize("raw", ["abc", "1.5", "1e3", "\uff11", "\u0661\u0662", "1_000", "0x10", "\x00",
                                 "1\x00", "--1", "99999999999999999999999"])
def test_anything_but_ascii_digits_is_not_a_whole_number(raw):
    with pytest.raises(inputs.InvalidInput, match="page must be a whole number"):
        inputs.whole_number(raw, "page", label="page")


def test_numbers_out_of_range_say_the_range():
    with pytest.raises(inputs.InvalidInput, match="per_page must be between 1 and 1000"):
        inputs.whole_number("0", "per_page", lo=1, hi=1000, label="per_page")
    with pytest.raises(inputs.InvalidInput, match="between 1 and 1000"):
        inputs.whole_number("-5", "per_page", lo=1, hi=1000)


def test_query_strings_are_decoded_strictly():
    assert inputs.query("search=grab+rails&page=2&page=3&empty=") == {
        "search": ["grab rails"], "page": ["2", "3"], "empty": [""]}
    assert inputs.query("search=caf%C3%A9") == {"search": ["café"]}
    assert inputs.query("search=%00") == {"search": ["\x00"]}  # readable; the field's validator refuses it
    for raw in ("search=%FF%FE", "search=%C3", b"search=\xff"):
        with pytest.raises(inputs.InvalidInput, match="not valid UTF-8"):
            inputs.query(raw)


def test_unreadable_names_the_first_bad_field():
    assert inputs.unreadable({"q": ["fine"], "note": ["two\nlines"]}) is None
    assert inputs.unreadable({"q": ["fine"], "note": ["nul\x00"]}) == "note"
    assert inputs.unreadable({"bad\x00name": ["x"]}) == "bad\x00name"


def test_conversation_ids_the_dialogue_can_keep():
    assert plain.usable_sender("0f" * 16) and plain.usable_sender("a" * 80)
    for bad in ("", "a" * 81, "web\x00chat", "tab\there", None):
        assert not plain.usable_sender(bad)
