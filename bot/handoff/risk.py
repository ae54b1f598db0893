"""Spotting risk in a carer's words, whatever intent the classifier chose: a table-driven policy.

The policy is data, in data/risk/policy.yml, with its sources. In short:
  - Categories, most serious first: self-harm or suicidal talk (indirect cues too: "they'd be better
    off without me", "I can't do this anymore"), danger to life, a medical emergency, a vulnerable
    person missing, abuse or neglect, someone not eating or drinking for days, care visits not
    happening. The first category found is the kind the duty team is paged with; the carer is given
    the routes of every category the message shows.
  - Each category has cue patterns and exclusions: phrases that only look like a cue ("wants to die
    at home" is an end-of-life wish, "he can't cope with loud noise" a sensory need, "stopped eating
    her cereal" a food preference). Exclusions are set aside before the cues are read, so a real cue
    elsewhere in the same message still counts. A cue can require a second pattern (`with`), and a
    category can stand down when the message shows it does not apply (`unless`: someone dying is
    expected to stop eating; that is for the nurses, not 999).
  - Routes: suicidal or self-harm cues get 999 if anyone might act now, NHS 111 option 2, Samaritans
    116 123 and text SHOUT to 85258. Abuse and neglect get 999 if in danger now and the council's
    safeguarding team (adult or children's, from who the message is about), and the CQC when a care
    home or care agency is involved.
  - The intent classifier on its own never turns a short follow-up ("and mum?", "2") into the
    emergency reply: see `classifier_may_alarm`.
Deliberately sensitive still: a false alarm costs a kind message with emergency numbers; a miss can
cost a life. Every change is tested both ways from tests/unit/data/risk_cases.yml.

Why patterns with exclusions rather than medspaCy's ConText: medspaCy fits the spaCy 3.4 pin
(1.2.0 allows spacy>=3.4.1,<3.6; 1.3.1 spacy<3.8 on Python < 3.12), but (1) its ConText modifiers
are negation, hypothetical, historical and family experiencer, while the false alarms that matter
here are meanings, not negations (end-of-life wishes, sensory overload, food preferences); (2)
crisis talk is itself often negated ("I don't want to be here", "can't go on"), so a generic negation
modifier would silence real cues; (3) carers always write about someone else, so "experiencer: other"
would mark every cue; (4) importing medspacy.context loads the whole package and installing it adds
thirteen packages (Cython, nltk, QuickUMLS, UnQLite...) to the shared Rasa environment. Explicit,
sourced patterns that staff can read, with a test for each, are safer for this one job.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

import yaml

POLICY_PATH = Path(__file__).resolve().parents[2] / "data" / "risk" / "policy.yml"

# Kinds the rest of the code names (the policy file may add more; handoffs store up to 24 characters).
SELF_HARM = "self_harm"
LIFE = "danger_to_life"
MEDICAL = "medical_emergency"
MISSING = "missing_person"
ABUSE = "abuse_or_neglect"
NOT_EATING = "not_eating"
MISSED_CARE = "missed_care"
MAX_KIND_LENGTH = 24

_FLAGS = re.IGNORECASE
_TERM = re.compile(r"\{(\w+)\}")
_CHILD = re.compile(r"\b(?:baby|babies|child|children|kids?|toddler|newborn|(?:my|our|her|his) (?:son|daughter|boy|"
                    r"girl|grandson|granddaughter)|school ?(?:boy|girl)|teenager|\d{1,2} ?(?:yo|year old))\b", _FLAGS)
_ADULT = re.compile(r"\b(?:mum|mam|mom|mother|dad|father|nan|nana|nanna|gran|grandma|grandad|grandpa|husband|wife|"
                    r"partner|auntie|aunty|uncle|brother|sister|elderly|pensioner|(?:care|nursing) home)\b", _FLAGS)
_CARE_SETTING = re.compile(r"\b(?:(?:care|nursing|residential) home|care (?:worker|agency|staff)s?|agency|"
                           r"the carers?|paid carers?|home carers?|staff)\b", _FLAGS)
# Someone acting under a lasting power of attorney or a deputyship: the Office of the Public Guardian
# investigates their misuse of it (Mental Capacity Act 2005 s58), beside the council's safeguarding.
_ATTORNEY = re.compile(r"\b(?:(?:lasting )?power of attorney|attorneys?|lpa|deputy|deputyship)\b", _FLAGS)


ROUTE_CONDITIONS = (None, "care_setting", "attorney")  # a route's `when`: a flag of Risk


class RiskPolicyError(ValueError):
    """The policy file is invalid; `errors` names every problem."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("risk policy: " + "; ".join(errors))


@dataclass(frozen=True)
class Risk:
    kind: str  # the most serious category found
    child: bool  # a child is involved (and no adult): children's safeguarding
    kinds: tuple[str, ...] = ()  # every category found, most serious first
    care_setting: bool = False  # a care home, care agency or paid carers are mentioned
    attorney: bool = False  # an attorney or deputy is mentioned
    adult_too: bool = False  # a child and an adult are both mentioned: either safeguarding team

    @property
    def safeguarding(self) -> str:
        if self.child and self.adult_too:
            return "adult or children's"
        return "children's" if self.child else "adult"


@dataclass(frozen=True)
class _Cue:
    pattern: re.Pattern
    with_: Optional[re.Pattern] = None


@dataclass(frozen=True)
class Category:
    id: str
    label: str
    routes: tuple[str, ...]
    cues: tuple[_Cue, ...]
    exclusions: Optional[re.Pattern]
    unless: Optional[re.Pattern]
    sources: tuple[dict, ...] = ()

    def found_in(self, text: str) -> bool:
        if self.unless is not None and self.unless.search(text):
            return False
        cleaned = self.exclusions.sub(" ", text) if self.exclusions is not None else text
        return any(cue.pattern.search(cleaned) and (cue.with_ is None or cue.with_.search(cleaned))
                   for cue in self.cues)


@dataclass(frozen=True)
class Route:
    id: str
    text: str
    when: Optional[str] = None  # "care_setting" / "attorney": only when a care home or agency / an attorney is involved


@dataclass(frozen=True)
class Policy:
    version: str
    categories: tuple[Category, ...]
    routes: dict[str, Route]
    follow_up_max_words: int
    follow_up: tuple[re.Pattern, ...] = field(default=())
    classifier_only: tuple[str, ...] = ()  # routes when the classifier alone raised the alarm

    def category(self, kind: str) -> Optional[Category]:
        return next((c for c in self.categories if c.id == kind), None)


# --- Loading ------------------------------------------------------------------------------


def load_policy(path: Path | str = POLICY_PATH) -> Policy:
    """Read and check the policy file; every problem is reported at once."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return _Builder(data).build()


@lru_cache(maxsize=1)
def policy() -> Policy:
    return load_policy()


class _Builder:
    def __init__(self, data: Any):
        self.data = data if isinstance(data, dict) else {}
        self.errors: list[str] = [] if isinstance(data, dict) else ["the file must be a mapping"]
        self.terms = {str(k): str(v) for k, v in (self.data.get("terms") or {}).items()}

    def expand(self, pattern: str, where: str) -> str:
        def term(m: re.Match) -> str:
            if m.group(1) in self.terms:
                return self.terms[m.group(1)]
            if m.group(1).isdigit():
                return m.group(0)
            self.errors.append(f"{where}: unknown term {{{m.group(1)}}}")
            return m.group(0)
        for _ in range(3):  # terms may use other terms
            pattern = _TERM.sub(term, pattern)
        return pattern

    def compile(self, patterns: list[str], where: str) -> Optional[re.Pattern]:
        if not patterns:
            return None
        if not all(isinstance(p, str) and p.strip() for p in patterns):
            self.errors.append(f"{where}: patterns must be non-empty text")
            return None
        joined = "|".join(f"(?:{self.expand(p, where)})" for p in patterns)
        try:
            return re.compile(rf"\b(?:{joined})\b", _FLAGS)
        except re.error as exc:
            self.errors.append(f"{where}: bad pattern ({exc})")
            return None

    def build(self) -> Policy:
        routes = self._routes()
        categories = []
        seen: set[str] = set()
        for i, item in enumerate(self.data.get("categories") or []):
            cid = item.get("id") if isinstance(item, dict) else None
            where = f"category {cid!r}" if cid else f"categories[{i}]"
            if not isinstance(cid, str) or not re.fullmatch(r"[a-z_]+", cid) or len(cid) > MAX_KIND_LENGTH:
                self.errors.append(f"{where}: `id` must be lower_case words, at most {MAX_KIND_LENGTH} characters")
                continue
            if cid in seen:
                self.errors.append(f"{where}: duplicate id")
            seen.add(cid)
            unknown = set(item) - {"id", "label", "routes", "sources", "cues", "exclusions", "unless"}
            if unknown:
                self.errors.append(f"{where}: unknown keys {sorted(unknown)}")
            for route in item.get("routes") or []:
                if route not in routes:
                    self.errors.append(f"{where}: unknown route {route!r}")
            if not item.get("routes"):
                self.errors.append(f"{where}: give the carer at least one route")
            if not item.get("sources"):
                self.errors.append(f"{where}: name its source")
            cues = [self._cue(c, f"{where} cue {n}") for n, c in enumerate(item.get("cues") or [])]
            if not cues:
                self.errors.append(f"{where}: needs cues")
            categories.append(Category(
                id=cid, label=str(item.get("label") or cid.replace("_", " ")),
                routes=tuple(item.get("routes") or ()), cues=tuple(c for c in cues if c is not None),
                exclusions=self.compile(item.get("exclusions") or [], f"{where} exclusions"),
                unless=self.compile(item.get("unless") or [], f"{where} unless"),
                sources=tuple(item.get("sources") or ())))
        follow = self.data.get("follow_up") or {}
        follow_up = []
        for n, pattern in enumerate(follow.get("patterns") or []):
            try:
                follow_up.append(re.compile(self.expand(pattern, f"follow_up {n}"), _FLAGS))
            except re.error as exc:
                self.errors.append(f"follow_up {n}: bad pattern ({exc})")
        if not categories:
            self.errors.append("no categories")
        classifier_only = tuple(self.data.get("classifier_only") or ())
        for route in classifier_only:
            if route not in routes:
                self.errors.append(f"classifier_only: unknown route {route!r}")
        if self.errors:
            raise RiskPolicyError(self.errors)
        return Policy(version=str(self.data.get("version", "")), categories=tuple(categories), routes=routes,
                      follow_up_max_words=int(follow.get("max_words", 5)), follow_up=tuple(follow_up),
                      classifier_only=classifier_only)

    def _routes(self) -> dict[str, Route]:
        out = {}
        for rid, item in (self.data.get("routes") or {}).items():
            text = item.get("text") if isinstance(item, dict) else None
            when = item.get("when") if isinstance(item, dict) else None
            if not isinstance(text, str) or not text.strip():
                self.errors.append(f"route {rid!r}: needs `text`")
                continue
            if when not in ROUTE_CONDITIONS:
                self.errors.append(f"route {rid!r}: `when` can only be care_setting or attorney")
            out[str(rid)] = Route(str(rid), " ".join(text.split()), when)
        return out

    def _cue(self, item: Any, where: str) -> Optional[_Cue]:
        if isinstance(item, str):
            pattern = self.compile([item], where)
            return _Cue(pattern) if pattern is not None else None
        if isinstance(item, dict) and set(item) <= {"pattern", "with"} and "pattern" in item:
            pattern = self.compile([item["pattern"]], where)
            with_ = self.compile([item["with"]], where) if item.get("with") else None
            return _Cue(pattern, with_) if pattern is not None else None
        self.errors.append(f"{where}: a cue is a pattern, or a mapping with `pattern` and `with`")
        return None


# --- Reading a message --------------------------------------------------------------------


def _clean(text: str) -> str:
    return " ".join(str(text or "").replace("\u2019", "'").replace("\u2018", "'").split())


def detect(text: str) -> Optional[Risk]:
    """The risks the message shows, most serious first, or None."""
    cleaned = _clean(text)
    if not cleaned:
        return None
    kinds = tuple(c.id for c in policy().categories if c.found_in(cleaned))
    if not kinds:
        return None
    child, adult = bool(_CHILD.search(cleaned)), bool(_ADULT.search(cleaned))
    return Risk(kinds[0], child, kinds, care_setting=bool(_CARE_SETTING.search(cleaned)),
                attorney=bool(_ATTORNEY.search(cleaned)), adult_too=child and adult)


def reply(danger: Optional[Risk]) -> str:
    """What the carer is told at once: the routes of every risk found (999 first when life is in danger).

    With no risk found (the classifier alone said urgent), the policy's `classifier_only` routes are
    given: the words matched no category, so they may be a crisis put in words the policy lacks.
    """
    rules = policy()
    kinds = (danger.kinds or (danger.kind,)) if danger else (LIFE,)
    texts: list[str] = []
    for kind in kinds:
        category = rules.category(kind) or rules.category(LIFE)
        routes = rules.classifier_only if danger is None and rules.classifier_only else \
            (category.routes if category else ())
        for route_id in routes:
            route = rules.routes[route_id]
            if route.when is not None and not (danger and getattr(danger, route.when)):
                continue
            text = route.text.replace("{safeguarding}", danger.safeguarding if danger else "adult")
            if text not in texts:
                texts.append(text)
    out = " ".join(texts)
    if "999" not in out:
        out = "Call 999 if anyone is in danger. " + out
    return out


def label(kind: Optional[str]) -> str:
    """The kind in words, for the duty team ("self-harm or suicidal talk")."""
    category = policy().category(kind or "")
    return category.label if category else (kind or "").replace("_", " ")


def labels() -> dict[str, str]:
    """Every kind and its words, for the console and the handoff packet."""
    return {c.id: c.label for c in policy().categories}


def classifier_may_alarm(text: str) -> bool:
    """May the intent classifier's "urgent" alone bring the emergency reply for this message?

    Not for a short follow-up with no risk words of its own ("and mum?", "what about dad", "2",
    "ok thanks"): it continues the conversation, and the words decide, not the classifier.
    """
    cleaned = _clean(text)
    if detect(cleaned) is not None:
        return True
    rules = policy()
    words = re.findall(r"[\w']+", cleaned)
    short_follow_up = len(words) <= rules.follow_up_max_words and any(p.search(cleaned) for p in rules.follow_up)
    return not short_follow_up
