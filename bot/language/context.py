"""Is a mention said to be so? Negated, ended, hypothetical, suspected or someone else's: ConText.

ConText (Chapman et al., J Biomed Inform 2009) is the clinical-NLP standard for this: trigger
phrases ("no", "used to", "if", "might be", "my neighbour") each with a direction and a scope
that ends at the end of the sentence or at a terminating word ("but", "who"). We run medspaCy's
implementation with its packaged rules, less the few that mean something else in a carer's
text, plus the carers' wording in data/language/context_rules.json (which gives its source and
why each packaged rule is dropped).

The scope is the clause as bot.language.parse splits it (commas, "but", "because", full stops),
so "she doesn't have diabetes, she has dementia" negates only the diabetes. ConText runs on a
copy of the Doc the stage already made (bot.language.nlp): no model, nothing downloaded.
"""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from spacy.tokens import Doc, Span

from bot.language.nlp import get_nlp, once
from bot.language.parse import Parsed

RULES_PATH = Path(__file__).resolve().parents[2] / "data" / "language" / "context_rules.json"
_GROUP = "onestory_context_targets"
_lock = threading.Lock()

NEGATED = "NEGATED_EXISTENCE"
HISTORICAL = "HISTORICAL"
HYPOTHETICAL = "HYPOTHETICAL"
UNCERTAIN = "POSSIBLE_EXISTENCE"
OTHER = "OTHER_EXPERIENCER"


@dataclass(frozen=True)
class Assertion:
    """What ConText says about one mention."""

    negated: bool = False  # "she doesn't have diabetes", "no allergies"
    historical: bool = False  # "he used to take warfarin", "not on it any more"
    hypothetical: bool = False  # "if she gets a chest infection"
    uncertain: bool = False  # "they think it might be dementia"
    other_experiencer: bool = False  # "my neighbour has MS"
    cues: tuple[str, ...] = ()  # the trigger words, as typed (for tests and debugging; not logged)

    @property
    def status(self) -> str:
        """One word for the record. "Doesn't take it any more" is both negated and historical: ended,
        since the carer is saying it stopped, not that it never was."""
        if self.other_experiencer:
            return "other"
        if self.hypothetical and not self.uncertain:  # "not sure if it's parkinsons" is a doubt
            return "hypothetical"
        if self.historical:
            return "ended"
        if self.negated:
            return "negated"
        if self.uncertain:
            return "hedged"
        return "current"


AFFIRMED = Assertion()


@once
def _rules() -> tuple[list, dict[str, str], dict[str, list[str]]]:
    from medspacy.context import ConTextRule

    data = json.loads(RULES_PATH.read_text(encoding="utf-8"))
    project = [ConTextRule(**{k: v for k, v in rule.items() if k in _RULE_FIELDS}) for rule in data["context_rules"]]
    return project, dict(data.get("drop_default") or {}), dict(data.get("terminating_types") or {})


_RULE_FIELDS = ("literal", "category", "pattern", "direction", "max_scope", "max_targets", "metadata")


@once
def _context():
    """medspaCy's ConText with its packaged rules (less those dropped) and the project's.

    Not added to the shared pipeline: it is called only on the spans the fact rules ask about."""
    from medspacy.context import ConText, ConTextRule
    from medspacy.context.context import DEFAULT_RULES_FILEPATH

    project, dropped, terminating = _rules()
    packaged = [r for r in ConTextRule.from_json(DEFAULT_RULES_FILEPATH) if r.literal.lower() not in dropped]
    ctx = ConText(get_nlp(), rules=None, span_attrs=None, input_span_type="group", span_group_name=_GROUP,
                  terminating_types=terminating)
    ctx.add(packaged + project)
    return ctx


def _clause_doc(parsed: Parsed) -> Doc:
    """A copy of the stage's Doc whose 'sentences' are its clauses: ConText's scope."""
    doc = parsed.doc.copy()
    breaks = {parsed.toks[i].end for i in range(len(parsed)) if parsed.clause_break[i]}
    previous_end = None
    for token in doc:
        token.is_sent_start = token.i == 0 or previous_end in breaks
        if not token.is_space:
            previous_end = token.idx + len(token.text)
    return doc


def _reaches_into(modifier, span: Span) -> bool:
    """A forward cue that starts before the span and runs into it ("does|n't have" asked about
    "have"): ConText never lets a cue modify a target it overlaps, but the words after it are in
    its scope."""
    start, end = modifier.modifier_span
    return start < span.start < end and modifier.direction.upper() in ("FORWARD", "BIDIRECTIONAL")


class Context:
    """ConText over one message, asked span by span (token ranges of bot.language.parse)."""

    def __init__(self, parsed: Parsed):
        self.parsed = parsed
        self._doc: Optional[Doc] = None
        self._seen: dict[tuple[int, int], Assertion] = {}

    def _span(self, start: int, end: int) -> Optional[Span]:
        toks = self.parsed.toks
        if not (0 <= start < end <= len(toks)):
            return None
        if self._doc is None:
            self._doc = _clause_doc(self.parsed)
        return self._doc.char_span(toks[start].start, toks[end - 1].end, alignment_mode="expand")

    def at(self, start: int, end: Optional[int] = None) -> Assertion:
        """The assertion for tokens start..end (end defaults to start + 1)."""
        end = start + 1 if end is None else end
        if (start, end) in self._seen:
            return self._seen[(start, end)]
        span = self._span(start, end)
        if span is None:
            return AFFIRMED
        with _lock:  # the matcher and the Doc's extension store are not safe to share across threads
            span.doc.spans[_GROUP] = [span]
            _context()(span.doc)
            modifiers = tuple(span._.modifiers) + tuple(
                m for m in span.doc._.context_graph.modifiers if _reaches_into(m, span))
        found = {m.category.upper() for m in modifiers}
        assertion = Assertion(negated=NEGATED in found, historical=HISTORICAL in found,
                              hypothetical=HYPOTHETICAL in found, uncertain=UNCERTAIN in found,
                              other_experiencer=OTHER in found,
                              cues=tuple(span.doc[m.modifier_span[0]:m.modifier_span[1]].text for m in modifiers))
        self._seen[(start, end)] = assertion
        return assertion


def assess(text: str, phrase: str) -> Assertion:
    """ConText on the first mention of `phrase` in `text` (lower case): for tests and the scorer."""
    from bot.language.nlp import safe_lower

    parsed = Parsed(text)
    at = safe_lower(text).find(phrase.lower())
    if at < 0:
        raise ValueError("phrase not in text")
    toks = [t.i for t in parsed.toks if t.start < at + len(phrase) and t.end > at]
    return Context(parsed).at(toks[0], toks[-1] + 1)
