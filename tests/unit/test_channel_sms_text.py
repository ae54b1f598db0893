"""SMS text fitting: GSM-7 replacements, segment counting and 1,600-character splits."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.channels.sms_text import (
    MAX_MESSAGE_CHARS,
    gsm_fit,
    is_gsm7,
    segment_count,
    segment_info,
    sms_messages,
    split_message,
)


def test_typographic_characters_become_gsm7():
    text = "It\u2019s \u201cfine\u201d \u2013 really\u2014honest\u2026\n\u2022\u00a0one\n\u2022 two \u2018ok\u2019"
    fitted = gsm_fit(text)
    assert fitted == "It's \"fine\" - really-honest...\n- one\n- two 'ok'"
    assert is_gsm7(fitted)
    assert segment_info(text).encoding == "UCS-2"
    assert segment_info(fitted).encoding == "GSM-7"


def test_meaningful_characters_are_kept():
    assert gsm_fit("Zoë and José £5 €10 😀") == "Zoë and José £5 €10 😀"
    assert gsm_fit("a\u200bb\x00c\r\nd\te") == "abc\nd e"


@pytest.mark.parametrize(("text", "encoding", "units", "segments"), [
    ("", "GSM-7", 0, 0),
    ("a" * 160, "GSM-7", 160, 1),
    ("a" * 161, "GSM-7", 161, 2),
    ("a" * 306, "GSM-7", 306, 2),
    ("a" * 307, "GSM-7", 307, 3),
    ("£@é" * 50, "GSM-7", 150, 1),  # basic-table accents and symbols cost one septet
    ("€" * 80, "GSM-7", 160, 1),  # extension characters count double
    ("€" * 81, "GSM-7", 162, 2),
    ("[x]" * 32, "GSM-7", 160, 1),
    ("[x]" * 33, "GSM-7", 165, 2),
    ("a" * 152 + "€" + "a" * 152, "GSM-7", 306, 3),  # an escape pair is never split across segments
    ("ç" * 70, "UCS-2", 70, 1),  # lower-case c-cedilla is not in GSM-7
    ("ç" * 71, "UCS-2", 71, 2),
    ("ç" * 134, "UCS-2", 134, 2),
    ("ç" * 135, "UCS-2", 135, 3),
    ("😀" * 35, "UCS-2", 70, 1),  # outside the BMP: a surrogate pair, two units
    ("😀" * 36, "UCS-2", 72, 2),
    ("a" * 66 + "😀" + "a" * 66, "UCS-2", 134, 3),  # a surrogate pair is never split either
    ("a" * 159 + "\u2019", "UCS-2", 160, 3),  # one curly apostrophe: three segments instead of one
])
def test_segment_counting(text, encoding, units, segments):
    assert segment_info(text) == (encoding, units, segments)


def test_fitting_saves_segments():
    text = "It\u2019s " + "a" * 150
    assert segment_count(text) == 3
    assert segment_count(gsm_fit(text)) == 1


def test_short_text_is_one_message():
    assert split_message("  Hello there.  ") == ["Hello there."]
    assert split_message("") == []


def test_long_text_splits_at_sentence_boundaries():
    sentences = [f"Sentence number {i} says something useful about carers' support." for i in range(80)]
    text = " ".join(sentences)
    assert len(text) > 3 * MAX_MESSAGE_CHARS
    chunks = split_message(text)
    assert len(chunks) >= 4
    assert all(len(c) <= MAX_MESSAGE_CHARS for c in chunks)
    assert all(c.endswith(".") for c in chunks)
    assert all(c.startswith("Sentence number") for c in chunks)
    assert " ".join(chunks) == text


def test_line_breaks_count_as_boundaries():
    text = "\n".join(f"- item {i} with no full stop" for i in range(200))
    chunks = split_message(text)
    assert all(len(c) <= MAX_MESSAGE_CHARS for c in chunks)
    assert all(c.startswith("- item") and re.search(r"stop$", c) for c in chunks)


def test_an_overlong_sentence_splits_between_words():
    text = " ".join([f"word{i}" for i in range(800)])  # no punctuation at all
    chunks = split_message(text)
    assert all(len(c) <= MAX_MESSAGE_CHARS for c in chunks)
    assert " ".join(chunks).split() == text.split()  # no word was cut


def test_only_a_single_giant_word_is_cut():
    text = "See " + "x" * 2000 + " now."
    chunks = split_message(text)
    assert all(len(c) <= MAX_MESSAGE_CHARS for c in chunks)
    assert "".join(chunks).replace(" ", "") == text.replace(" ", "")


def test_utterances_are_joined_while_they_fit():
    assert sms_messages(["Hi!", "What\u2019s your postcode?"]) == ["Hi!\n\nWhat's your postcode?"]
    long = "A sentence. " * 100
    messages = sms_messages([long, long, "Bye."])
    assert all(len(m) <= MAX_MESSAGE_CHARS for m in messages)
    assert messages[-1].endswith("Bye.")
    assert sms_messages(["", "  "]) == []


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .!?\n\u2019é😀")), max_size=5000),
       st.integers(min_value=20, max_value=1600))
def test_split_property(text, limit):
    chunks = split_message(text, limit)
    assert all(0 < len(c) <= limit for c in chunks)
    # Nothing but whitespace is lost or added, and words survive unless longer than a message.
    assert "".join("".join(chunks).split()) == "".join(text.split())
    if all(len(w) <= limit for w in text.split()):
        assert " ".join(chunks).split() == text.split()
