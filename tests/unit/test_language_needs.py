"""bot.language.needs: carers' words matched to the directory's needs vocabulary."""
from __future__ import annotations

import random
import string

import pytest

from bot.language.needs import NeedMatch, NeedMatcher

VOCAB = [
    ("commode", ["commode", "bedside commode"]),
    ("grab-rails", ["grab rails", "grab rail", "handrail"]),
    ("wheelchair", ["wheelchair", "powerchair"]),
    ("stairlift", ["stair lift"]),
    ("ot", ["occupational therapy", "OT assessment", "occupational therapist"]),
    ("carers-assessment", ["carer's assessment", "carers assessment"]),
    ("hoist", ["hoist", "mobile hoist"]),
    ("bath", ["bath"]),
    ("bath-lift", ["bath lift"]),
    ("health-visitor", ["health visitor", "health visiting"]),
    ("chc", ["NHS continuing healthcare", "continuing healthcare", "CHC"]),
    ("discharge", ["hospital discharge", "discharge"]),
    ("noise", ["the", "and"]),   # stop words alone must never match
]


@pytest.fixture(scope="module")
def matcher() -> NeedMatcher:
    return NeedMatcher(VOCAB)


def _ids(matches: list[NeedMatch]) -> list[str]:
    return [m.term_id for m in matches]


@pytest.mark.parametrize(("text", "expected"), [
    ("mum needs a commode", ["commode"]),
    ("they said commodes would come on monday", ["commode"]),
    ("who can put grab rails in her bathroom?", ["grab-rails"]),
    ("who fits a grab rail", ["grab-rails"]),
    ("GRAB-RAILS please", ["grab-rails"]),
    ("how does my wife get a wheelchair?", ["wheelchair"]),
    ("how do I get a wheel chair", ["wheelchair"]),
    ("she needs a stairlift", ["stairlift"]),
    ("who does stair lifts", ["stairlift"]),
    ("who fits stair-lifts", ["stairlift"]),
    ("who does a carer's assessment?", ["carers-assessment"]),
    ("carers assessment", ["carers-assessment"]),
    ("can an occupational therapist come", ["ot"]),
    ("we need a mobile hoist", ["hoist"]),
    ("who should I ask about feeding, the health visitor?", ["health-visitor"]),
    ("who decides on NHS continuing healthcare funding", ["chc"]),
    ("who do I call about a hospital discharge", ["discharge"]),
])
def test_match(matcher: NeedMatcher, text: str, expected: list[str]) -> None:
    assert _ids(matcher.match(text)) == expected


def test_longer_phrase_wins_over_the_word_inside_it(matcher: NeedMatcher) -> None:
    matches = matcher.match("she can't get out of the bath, does she need a bath lift?")
    ids = _ids(matches)
    assert "bath-lift" in ids
    lift = next(m for m in matches if m.term_id == "bath-lift")
    assert "she can't get out of the bath, does she need a bath lift?"[lift.start:lift.end] == "bath lift"
    # the lone "bath" earlier in the message is a separate, non-overlapping match
    bath = next(m for m in matches if m.term_id == "bath")
    assert bath.end <= lift.start


def test_nested_overlap_resolved(matcher: NeedMatcher) -> None:
    ids = _ids(matcher.match("she needs a bath lift"))
    assert ids == ["bath-lift"]


def test_offsets_point_at_the_carers_words(matcher: NeedMatcher) -> None:
    text = "Mum needs Commodes and Grab-Rails"
    spans = {m.term_id: text[m.start:m.end] for m in matcher.match(text)}
    assert spans == {"commode": "Commodes", "grab-rails": "Grab-Rails"}


def test_scores_and_order(matcher: NeedMatcher) -> None:
    matches = matcher.match("a wheel chair and grab rails and commodes")
    by_id = {m.term_id: m for m in matches}
    assert by_id["grab-rails"].score == 1.0       # exact words
    assert by_id["commode"].score == 0.9          # same lemma
    assert by_id["wheelchair"].score == 0.8       # spacing variant
    assert _ids(matches) == ["grab-rails", "commode", "wheelchair"]
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


def test_one_match_per_term(matcher: NeedMatcher) -> None:
    assert _ids(matcher.match("commode commode commodes")) == ["commode"]


@pytest.mark.parametrize("text", ["", "   ", "the and the", "bathroom", "🙏🙏🙏", "'; DROP TABLE x; --",
                                  "<script>alert(1)</script>", "put the wheelie bin out"])
def test_no_match(matcher: NeedMatcher, text: str) -> None:
    assert matcher.match(text) == []


def test_not_a_string(matcher: NeedMatcher) -> None:
    assert matcher.match(None) == []  # type: ignore[arg-type]


def test_empty_vocabulary() -> None:
    assert NeedMatcher([]).match("a commode") == []


def test_rebuild_sees_new_synonyms() -> None:
    before = NeedMatcher([("commode", ["commode"])])
    assert before.match("a toilet chair") == []
    after = NeedMatcher([("commode", ["commode", "toilet chair"])])
    assert _ids(after.match("a toilet chair")) == ["commode"]


def test_same_phrase_two_terms_both_returned() -> None:
    m = NeedMatcher([("a", ["respite"]), ("b", ["respite", "short break"])])
    assert sorted(_ids(m.match("can we get respite"))) == ["a", "b"]


def test_builds_2000_phrases_and_matches_among_them() -> None:
    """Timing lives in the benchmarks; this checks a large vocabulary still matches right."""
    rng = random.Random(7)

    def word() -> str:
        return "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 9)))

    terms = [(f"t{i}", [" ".join(word() for _ in range(rng.randint(1, 3))) for _ in range(2)]) for i in range(1000)]
    terms.append(("commode", ["commode"]))
    m = NeedMatcher(terms)
    text = "mum came out of hospital and needs a commode, who is responsible? " * 3
    assert _ids(m.match(text)) == ["commode"]


def test_one_letter_typos_in_long_words_are_mended() -> None:
    matcher = NeedMatcher([("carers-assessment", ["carer's assessment", "carers assessment"]),
                           ("wheelchair", ["wheelchair"])])
    assert _ids(matcher.match("how do i get a carers assesment")) == ["carers-assessment"]
    assert _ids(matcher.match("she needs a wheelchiar")) == ["wheelchair"]
    assert matcher.match("a wheelbarrow for the garden") == []


def test_a_verb_does_not_match_its_ing_noun() -> None:
    matcher = NeedMatcher([("seizure", ["fitting", "seizure"]), ("grab-rails", ["grab rails"])])
    assert matcher.match("who can fit them?") == []
    assert _ids(matcher.match("he keeps fitting")) == ["seizure"]


@pytest.mark.parametrize(("text", "expected"), [
    ("she needs help washing, dressing and eating", []),  # dressing a person is not wound dressings
    ("we pay for her care out of her house money", []),  # a house is not housing
    ("who changes the dressings on her leg", ["wound"]),
    ("we need a wheel chair", ["wheelchair"]),  # a spacing variant still counts
])
def test_one_word_is_matched_by_its_own_forms_not_by_another_words_lemma(text: str, expected: list[str]) -> None:
    found = NeedMatcher([("wound", ["dressings", "wound care"]), ("housing", ["housing", "sheltered housing"]),
                         ("wheelchair", ["wheelchair"])]).match(text)
    assert [m.term_id for m in found] == expected
