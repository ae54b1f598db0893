"""How well the language stage extracts facts: precision and recall per category, and attribution.

Scored against an annotated set (tests/eval/facts-annotated.yml: each message with the facts a
careful person would record, per person and per category, facts that must not be recorded, and
suspected facts marked hedged). A predicted fact matches a gold fact of the same category when
their values share enough words (a generous match: "Parkinson's" for "parkinson's disease",
"levetiracetam (Keppra)" for "levetiracetam"); it is on the right person when the relationship
or the name agrees. Run it with `python -m bot.language.scoring [FILE]`.
"""
from __future__ import annotations

import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import yaml

from bot.language.reading import HEDGED, Fact, Person, read
from bot.language.vocabulary import RELATIONSHIPS

# The record's categories, as the annotated set names them.
CATEGORY = {"condition": "condition", "medicine": "medicine", "allergy": "allergy", "equipment": "equipment",
            "communication": "communication", "access": "access", "care_plan": "care_plan",
            "preference": "what_matters", "what_matters": "what_matters", "professional": "professional",
            "service": "professional", "gp": "professional", "address": "address", "situation": "situation",
            "need": "need"}
_STOP = {"a", "an", "the", "of", "to", "in", "on", "and", "or", "with", "for", "her", "his", "their", "is", "at",
         "has", "have", "uses", "use", "needs", "need", "from", "by", "(", ")", "disease", "syndrome", "type"}


def _words(text: str) -> set[str]:
    words = set()
    for w in re.findall(r"[a-z0-9]+", text.lower().replace("'s", "")):
        if w not in _STOP and len(w) > 1:
            words.add(w[:-1] if len(w) > 4 and w.endswith("s") else w)
    return words


def matches(gold_value: str, gold_said: Optional[str], predicted: Fact) -> bool:
    """Do these name the same thing? Half the gold words, or the carer's own word, in the prediction."""
    said = " ".join([predicted.value, str(predicted.detail.get("said", "")), predicted.key.split(":", 1)[-1]])
    have = _words(said)
    want = _words(gold_value)
    if gold_said and _words(gold_said) and _words(gold_said) <= have:
        return True
    return bool(want) and len(want & have) * 2 >= len(want)


def _gold_person(ref: str, people: list[dict]) -> tuple[Optional[str], Optional[str]]:
    for person in people:
        if person.get("ref") == ref:
            return RELATIONSHIPS.get(ref, ref.replace("-", "_")), person.get("name")
    return RELATIONSHIPS.get(ref, ref.replace("-", "_")), None


def right_person(predicted: Optional[Person], ref: str, people: list[dict]) -> bool:
    relationship, name = _gold_person(ref, people)
    if predicted is None or (predicted.relationship is None and predicted.name is None):
        # "the person the conversation is about" (or a bare "he"/"she", which the dialogue finds
        # among the people talked about): right when only one is meant
        return len(people) == 1
    if name and predicted.name and predicted.name.lower() == name.lower():
        return True
    return bool(predicted.relationship) and predicted.relationship == relationship


@dataclass
class Score:
    tp: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    fp: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    fn: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    attributed: int = 0
    right: int = 0
    forbidden: int = 0  # not_facts that were recorded anyway
    misses: list[str] = field(default_factory=list)

    def precision(self, category: Optional[str] = None) -> float:
        tp = self.tp[category] if category else sum(self.tp.values())
        fp = self.fp[category] if category else sum(self.fp.values())
        return tp / (tp + fp) if tp + fp else 1.0

    def recall(self, category: Optional[str] = None) -> float:
        tp = self.tp[category] if category else sum(self.tp.values())
        fn = self.fn[category] if category else sum(self.fn.values())
        return tp / (tp + fn) if tp + fn else 1.0

    @property
    def attribution(self) -> float:
        return self.right / self.attributed if self.attributed else 1.0

    def table(self) -> str:
        categories = sorted(set(self.tp) | set(self.fp) | set(self.fn))
        lines = [f"{'category':<15}{'precision':>10}{'recall':>8}{'tp':>5}{'fp':>5}{'fn':>5}"]
        for c in categories:
            lines.append(f"{c:<15}{self.precision(c):>10.2f}{self.recall(c):>8.2f}{self.tp[c]:>5}{self.fp[c]:>5}"
                         f"{self.fn[c]:>5}")
        lines.append(f"{'all':<15}{self.precision():>10.2f}{self.recall():>8.2f}{sum(self.tp.values()):>5}"
                     f"{sum(self.fp.values()):>5}{sum(self.fn.values()):>5}")
        lines.append(f"attribution (right person, of facts found): {self.attribution:.2f} "
                     f"({self.right}/{self.attributed}); recorded though annotated not a fact: {self.forbidden}")
        return "\n".join(lines)


def score(items: list[dict]) -> Score:
    result = Score()
    for item in items:
        people = item.get("people") or []
        predicted = [f for f in read(item["text"]).facts if f.category in CATEGORY
                     and f.status in ("current", HEDGED) and f.key not in ("personal:date of birth",)]
        ages = [f for f in read(item["text"]).current if f.key == "personal:age"]
        predicted += ages
        unmatched = list(predicted)
        for gold in item.get("facts") or []:
            category = gold["category"]
            wanted_status = HEDGED if gold.get("hedged") else "current"
            hit = None
            for fact in unmatched:
                fact_category = "age" if fact.key == "personal:age" else CATEGORY[fact.category]
                if fact_category != category or fact.status != wanted_status:
                    continue
                if category == "age":
                    ok = fact.value.split()[0] == str(gold["value"]).split()[0]
                else:
                    ok = matches(str(gold["value"]), gold.get("said"), fact)
                if ok:
                    hit = fact
                    break
            if hit is None:
                result.fn[category] += 1
                result.misses.append(f"missed {category} {gold['value']!r} in {item['text'][:60]!r}")
                continue
            unmatched.remove(hit)
            result.tp[category] += 1
            result.attributed += 1
            if right_person(hit.person, gold["person"], people):
                result.right += 1
            else:
                result.misses.append(f"wrong person for {gold['value']!r}: {hit.person} in {item['text'][:60]!r}")
        for fact in unmatched:
            category = "age" if fact.key == "personal:age" else CATEGORY[fact.category]
            result.fp[category] += 1
            for bad in item.get("not_facts") or []:
                if bad["category"] == category and matches(str(bad["value"]), None, fact) and \
                        right_person(fact.person, bad["person"], people):
                    result.forbidden += 1
    return result


def load(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or []


def main(argv: list[str]) -> int:
    files = [a for a in argv if not a.startswith("--")]
    path = Path(files[0]) if files else Path(__file__).resolve().parents[2] / "tests" / "eval" / "facts-annotated.yml"
    result = score(load(path))
    print(result.table())
    if "--misses" in argv:
        print("\n".join(result.misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
