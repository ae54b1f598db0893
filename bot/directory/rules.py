"""Who is responsible: load, validate and apply data/responsibility/rules.yml.

Pure Python (no database, no Rasa). A rule maps one or more *needs* (what the carer asks about)
to a *role* (the kind of body that is responsible); the directory then finds the service that
plays that role where the person lives.

Resolution never guesses. Given need codes and what we know (`Situation`), `RuleBook.resolve`
returns exactly one of:
  - a rule, when the facts decide it (or when every rule still possible names the same role);
  - `needs_clarification`, with the ONE question whose answer would decide it;
  - `no_rule`, when nothing fits.

Ages are compared as intervals of days, so "a child", "3 weeks old" and "84" can all be
checked against rules written as `age_max: 17` or `baby_age_days_max: 13`: a condition is
met when every age the facts allow satisfies it, failed when none does, and unknown otherwise.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal

import yaml

DEFAULT_RULES_PATH = Path(__file__).resolve().parents[2] / "data" / "responsibility" / "rules.yml"

SETTINGS = ("in_hospital", "at_home", "care_home")
NEED_TYPES = ("health", "social_care")
AGE_GROUPS = ("child", "adult")

DAYS_PER_YEAR = 365
ADULT_AGE = 18
_INF = 10**9

_CONDITION_KEYS = ("setting", "age_min", "age_max", "baby_age_days_min", "baby_age_days_max", "need_type",
                   "carer_age_min", "carer_age_max")
_RULE_KEYS = {
    "id", "title", "need", "when", "otherwise", "ask", "role", "explanation", "if_they_say_not_theirs",
    "source", "source_url", "last_reviewed", "notes",
}
_RULE_REQUIRED = ("id", "title", "need", "role", "explanation", "if_they_say_not_theirs", "source",
                  "last_reviewed")
_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_NEED_RE = re.compile(r"^need\.[a-z0-9]+(?:-[a-z0-9]+)*$")
_ROLE_RE = re.compile(r"^role\.[a-z0-9]+(?:-[a-z0-9]+)*$")


class RuleBookError(ValueError):
    """The rules file is invalid. `errors` lists every problem, each naming the rule id."""

    def __init__(self, errors: Sequence[str], path: Path | str | None = None):
        self.errors = list(errors)
        where = f" in {path}" if path else ""
        super().__init__(f"{len(self.errors)} problem(s){where}:\n  - " + "\n  - ".join(self.errors))


# --- Data -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Need:
    code: str
    name: str
    synonyms: tuple[str, ...] = ()
    description: str = ""
    label: str = ""  # plain words for a "did you mean" list ("help with the cost of care"); else the name
    # The need meant when the carer says this one is lacking: "no LPA", "never did a power of
    # attorney" is a question about a deputyship, not about making an LPA.
    if_lacking: str = ""

    @property
    def plain(self) -> str:
        return self.label or self.name


@dataclass(frozen=True)
class Role:
    code: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class Conditions:
    """What must be true for a rule to apply. None means "any"."""

    setting: tuple[str, ...] | None = None
    age_min: int | None = None
    age_max: int | None = None
    baby_age_days_min: int | None = None
    baby_age_days_max: int | None = None
    need_type: str | None = None
    # The carer's own age (the one asking), not the cared-for person's: a carer under 18 is a young
    # carer, assessed under the Children Act 1989 s17ZA, not by adult social care.
    carer_age_min: int | None = None
    carer_age_max: int | None = None

    @property
    def is_empty(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self))

    @property
    def count(self) -> int:
        """How specific the rule is: setting, age, need_type each count once."""
        return sum((self.setting is not None, self.need_type is not None, self.age_interval() is not None,
                    self.carer_interval() is not None))

    def carer_interval(self) -> tuple[int, int] | None:
        """The carer's own ages (whole years, inclusive) this rule accepts, or None when it doesn't matter."""
        if self.carer_age_min is None and self.carer_age_max is None:
            return None
        return (self.carer_age_min or 0, _INF if self.carer_age_max is None else self.carer_age_max)

    def age_interval(self) -> tuple[int, int] | None:
        """The ages (in days, inclusive) this rule accepts, or None when age doesn't matter."""
        if self.age_min is None and self.age_max is None and self.baby_age_days_min is None \
                and self.baby_age_days_max is None:
            return None
        lo, hi = 0, _INF
        if self.age_min is not None:
            lo = max(lo, self.age_min * DAYS_PER_YEAR)
        if self.age_max is not None:
            hi = min(hi, (self.age_max + 1) * DAYS_PER_YEAR - 1)
        if self.baby_age_days_min is not None:
            lo = max(lo, self.baby_age_days_min)
        if self.baby_age_days_max is not None:
            hi = min(hi, self.baby_age_days_max)
        return lo, hi


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    needs: tuple[str, ...]
    role: str
    explanation: str
    if_they_say_not_theirs: str
    source: str
    last_reviewed: dt.date
    when: Conditions = field(default_factory=Conditions)
    otherwise: bool = False
    # False: when the facts can't decide this rule's conditions, leave it out instead of asking (the
    # group's `otherwise` rule answers the common case; this one only when the facts show it).
    ask: bool = True
    source_url: str | None = None
    notes: str = ""


@dataclass(frozen=True)
class Situation:
    """What we know about the person the question is about. Every field is optional.

    `age_group` ("child" under 18 / "adult") is for when the carer says "my son" or "an adult"
    without an age; `age_years` or `baby_age_days` win over it when known.
    """

    setting: str | None = None
    age_years: int | None = None
    baby_age_days: int | None = None
    need_type: str | None = None
    age_group: str | None = None
    carer_age_years: int | None = None  # the carer's own age, when they say it ("im 14")

    def with_answer(self, field_name: str, value: Any) -> Situation:
        """A copy with one field filled (e.g. from `parse_clarification`)."""
        if field_name not in {f.name for f in fields(self)}:
            raise ValueError(f"Situation has no field {field_name!r}")
        return replace(self, **{field_name: value})

    def age_interval(self) -> tuple[int, int] | None:
        """Ages in days the facts allow (inclusive), or None when nothing is known."""
        if self.baby_age_days is not None:
            return self.baby_age_days, self.baby_age_days
        if self.age_years is not None:
            return self.age_years * DAYS_PER_YEAR, (self.age_years + 1) * DAYS_PER_YEAR - 1
        if self.age_group == "child":
            return 0, ADULT_AGE * DAYS_PER_YEAR - 1
        if self.age_group == "adult":
            return ADULT_AGE * DAYS_PER_YEAR, _INF
        return None


@dataclass(frozen=True)
class Clarification:
    """The one question to ask, and which Situation field its answer fills."""

    field: str
    question: str
    options: tuple[str, ...] = ()
    about: str = ""  # the need's name, so the bot can say what the question is for

    @property
    def text(self) -> str:
        """The question with its topic, e.g. "About equipment after leaving hospital: are they ..."."""
        if not self.about:
            return self.question
        about = self.about[0].lower() + self.about[1:]
        return f"About {about}: {self.question[0].lower() + self.question[1:]}"


@dataclass(frozen=True)
class Resolution:
    kind: Literal["rule", "needs_clarification", "no_rule"]
    need_codes: tuple[str, ...] = ()
    rule: Rule | None = None
    clarification: Clarification | None = None
    # For a clarification: the group's `otherwise` rule, if any. It is NOT the answer; a caller may
    # offer it only once the carer has said they don't know.
    fallback: Rule | None = None

    @property
    def is_rule(self) -> bool:
        return self.kind == "rule"

    @property
    def needs_clarification(self) -> bool:
        return self.kind == "needs_clarification"

    @property
    def is_no_rule(self) -> bool:
        return self.kind == "no_rule"


# --- Condition evaluation ---------------------------------------------------------------

_MATCH, _FAIL, _UNKNOWN = "match", "fail", "unknown"


def _check(rule: Rule, facts: Situation) -> tuple[str, tuple[str, ...]]:
    """(status, unknown_aspects) for one rule. Aspects: 'setting', 'need_type', 'age'."""
    c = rule.when
    unknown: list[str] = []
    if c.setting is not None:
        if facts.setting is None:
            unknown.append("setting")
        elif facts.setting not in c.setting:
            return _FAIL, ()
    if c.need_type is not None:
        if facts.need_type is None:
            unknown.append("need_type")
        elif facts.need_type != c.need_type:
            return _FAIL, ()
    wanted = c.age_interval()
    if wanted is not None:
        known = facts.age_interval()
        if known is None:
            unknown.append("age")
        elif known[1] < wanted[0] or known[0] > wanted[1]:
            return _FAIL, ()
        elif not (wanted[0] <= known[0] and known[1] <= wanted[1]):
            unknown.append("age")
    carer = c.carer_interval()
    if carer is not None:
        # A carer who hasn't said their age is taken as an adult: nearly all who write are, and a
        # young carer says so ("im 14"). So this is never asked about, only decided.
        age = ADULT_AGE if facts.carer_age_years is None else facts.carer_age_years
        if not carer[0] <= age <= carer[1]:
            return _FAIL, ()
    return (_UNKNOWN, tuple(unknown)) if unknown else (_MATCH, ())


# --- Questions and answers ----------------------------------------------------------------

_SETTING_WORDS = {
    "in_hospital": "still in hospital", "at_home": "home already", "care_home": "in a care home",
}


def _setting_question(settings: Iterable[str]) -> Clarification:
    wanted = [s for s in SETTINGS if s in set(settings)]
    if wanted == ["in_hospital", "at_home"] or len(wanted) < 2:
        question = "Are they still in hospital, or home already?"
        options = ("in_hospital", "at_home")
    else:
        parts = [_SETTING_WORDS[s] for s in wanted]
        question = "Are they " + ", ".join(parts[:-1]) + " or " + parts[-1] + "?"
        options = tuple(wanted)
    return Clarification("setting", question, options)


def _age_question(rules: Sequence[Rule]) -> Clarification:
    if any(r.when.baby_age_days_min is not None or r.when.baby_age_days_max is not None for r in rules):
        return Clarification("baby_age_days", "How old is the baby? (for example 5 days or 3 weeks)")
    intervals = [r.when.age_interval() for r in rules if r.when.age_interval() is not None]
    bounds = set()
    for lo, hi in intervals:
        bounds.add(lo)
        if hi < _INF:
            bounds.add(hi + 1)
    bounds.discard(0)
    if bounds and all(b < DAYS_PER_YEAR for b in bounds):  # limits in days, not "aged 1 or over"
        return Clarification("baby_age_days", "How old is the baby? (days or weeks is fine)")
    if bounds == {ADULT_AGE * DAYS_PER_YEAR}:
        return Clarification("age_group", "Is this about a child (under 18) or an adult?", AGE_GROUPS)
    return Clarification("age_years", "How old are they?")


_NEED_TYPE_QUESTION = Clarification(
    "need_type",
    "Is this about NHS health care (a hospital, GP or nurse) or about social care and support "
    "(the council, a care home or carers at home)?",
    NEED_TYPES,
)


# --- The rule book ----------------------------------------------------------------------


class RuleBook:
    """The validated rules file. Build with `RuleBook.load(path)`."""

    def __init__(self, *, version: str, reviewed: dt.date, roles: Sequence[Role], needs: Sequence[Need],
                 rules: Sequence[Rule], jurisdiction: str = "England"):
        self.version = version
        self.reviewed = reviewed
        self.jurisdiction = jurisdiction
        self.roles: dict[str, Role] = {r.code: r for r in roles}
        self.needs: dict[str, Need] = {n.code: n for n in needs}
        self.rules: tuple[Rule, ...] = tuple(rules)
        self._by_id = {r.id: r for r in self.rules}
        self._order = {r.id: i for i, r in enumerate(self.rules)}

    # -- loading
    @classmethod
    def load(cls, path: Path | str = DEFAULT_RULES_PATH) -> RuleBook:
        path = Path(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise RuleBookError([f"not valid YAML: {exc}"], path) from exc
        return cls.from_dict(data, path=path)

    @classmethod
    def from_dict(cls, data: Any, path: Path | str | None = None) -> RuleBook:
        return _Validator(data).build(path)

    # -- lookups
    def rule(self, rule_id: str) -> Rule:
        return self._by_id[rule_id]

    def role_codes(self) -> list[str]:
        return list(self.roles)

    def need_codes(self) -> list[str]:
        return list(self.needs)

    def roles_used(self) -> set[str]:
        return {r.role for r in self.rules}

    def synonym_index(self) -> dict[str, list[str]]:
        """Lower-cased phrase -> need codes (a phrase may belong to more than one need)."""
        index: dict[str, list[str]] = {}
        for need in self.needs.values():
            for phrase in (need.name, *need.synonyms):
                codes = index.setdefault(phrase.lower(), [])
                if need.code not in codes:
                    codes.append(need.code)
        return index

    # -- answering
    def candidates(self, need_codes: Sequence[str]) -> list[Rule]:
        """Rules answering any of the needs, best first: rules covering more of the asked needs,
        then rules whose main (first) need was asked, then order of the asked needs, then file order."""
        asked = list(dict.fromkeys(need_codes))
        found = [r for r in self.rules if any(n in asked for n in r.needs)]
        return sorted(found, key=lambda r: self._rank(r, asked))

    def _rank(self, rule: Rule, asked: list[str]) -> tuple[int, int, int, int]:
        overlap = sum(1 for n in rule.needs if n in asked)
        first_asked = min(asked.index(n) for n in rule.needs if n in asked)
        return (-overlap, 0 if rule.needs[0] in asked else 1, first_asked, self._order[rule.id])

    def resolve(self, need_codes: Sequence[str], facts: Situation | None = None) -> Resolution:
        facts = facts or Situation()
        asked = tuple(dict.fromkeys(need_codes))
        # Tiers: rules that equally well answer what was asked. A tier that can't decide asks;
        # a tier in which nothing fits gives way to the next.
        tiers: dict[tuple[int, int], list[Rule]] = {}
        for rule in self.candidates(asked):
            # The order the needs were given in doesn't split tiers, so the answer doesn't depend on it.
            tiers.setdefault(self._rank(rule, list(asked))[:2], []).append(rule)
        for key in sorted(tiers):
            outcome = self._resolve_tier(tiers[key], facts, asked)
            if outcome is not None:
                return outcome
        return Resolution("no_rule", need_codes=asked)

    def _resolve_tier(self, tier: list[Rule], facts: Situation, asked: tuple[str, ...]) -> Resolution | None:
        tier = sorted(tier, key=lambda r: self._order[r.id])
        matched: list[Rule] = []
        pending: list[tuple[Rule, tuple[str, ...]]] = []
        fallbacks = [r for r in tier if r.otherwise]
        for rule in tier:
            if rule.otherwise:
                continue
            status, unknown = _check(rule, facts)
            if status == _MATCH:
                matched.append(rule)
            elif status == _UNKNOWN and rule.ask:
                pending.append((rule, unknown))
        fallback = fallbacks[0] if fallbacks else None
        best = max(matched, key=lambda r: (r.when.count, -self._order[r.id])) if matched else None

        # Pending rules matter only if they could beat the best match and would change the answer.
        relevant = [
            (r, u) for r, u in pending
            if (best is None or r.when.count > best.when.count) and (best is None or r.role != best.role)
        ]
        if not relevant:
            if best is not None:
                return Resolution("rule", need_codes=asked, rule=best)
            if fallback is not None:
                return Resolution("rule", need_codes=asked, rule=fallback)
            return None

        if best is None and fallback is not None and all(r.role == fallback.role for r, _ in relevant):
            # Whatever the answer, the same body is responsible: no need to ask.
            return Resolution("rule", need_codes=asked, rule=fallback)
        question = self._question(relevant)
        topic = next((n for n in relevant[0][0].needs if n in asked), relevant[0][0].needs[0])
        question = replace(question, about=self.needs[topic].name)
        return Resolution("needs_clarification", need_codes=asked, clarification=question, fallback=fallback)

    @staticmethod
    def _question(relevant: list[tuple[Rule, tuple[str, ...]]]) -> Clarification:
        # Ask about the aspect most of the undecided rules depend on; ties in a fixed order.
        order = ("setting", "need_type", "age")
        counts = {a: sum(1 for _, u in relevant if a in u) for a in order}
        aspect = max(order, key=lambda a: (counts[a], -order.index(a)))
        rules = [r for r, u in relevant if aspect in u]
        if aspect == "setting":
            return _setting_question(s for r in rules for s in (r.when.setting or ()))
        if aspect == "need_type":
            return _NEED_TYPE_QUESTION
        return _age_question(rules)


# --- Validation ---------------------------------------------------------------------------


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


class _Validator:
    def __init__(self, data: Any):
        self.data = data
        self.errors: list[str] = []

    def err(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    def build(self, path: Path | str | None) -> RuleBook:
        data = self.data
        if not isinstance(data, Mapping):
            raise RuleBookError(
                ["the file must be a mapping with version, reviewed, roles, needs, rules"], path)
        version = data.get("version")
        if not isinstance(version, str | int | float) or str(version).strip() == "":
            self.err("top level", "`version` is required")
        reviewed = _as_date(data.get("reviewed"))
        if reviewed is None:
            self.err("top level", "`reviewed` must be a date (YYYY-MM-DD)")
        unknown_top = set(data) - {"version", "reviewed", "jurisdiction", "roles", "needs", "rules"}
        if unknown_top:
            self.err("top level", f"unknown keys {sorted(unknown_top)}")
        roles = self._roles(data.get("roles"))
        needs = self._needs(data.get("needs"))
        rules = self._rules(data.get("rules"), {r.code for r in roles}, {n.code for n in needs})
        self._check_overlaps(rules)
        if self.errors:
            raise RuleBookError(self.errors, path)
        return RuleBook(version=str(version), reviewed=reviewed, roles=roles, needs=needs, rules=rules,
                        jurisdiction=str(data.get("jurisdiction", "England")))

    def _roles(self, items: Any) -> list[Role]:
        out: list[Role] = []
        if not isinstance(items, list) or not items:
            self.err("roles", "must be a non-empty list")
            return out
        seen: set[str] = set()
        for i, item in enumerate(items):
            code = item.get("code") if isinstance(item, Mapping) else None
            where = f"role {code!r}" if code else f"roles[{i}]"
            if not isinstance(item, Mapping) or not isinstance(code, str) or not _ROLE_RE.match(code):
                self.err(where, "needs a `code` like role.some-name")
                continue
            if code in seen:
                self.err(where, "duplicate role code")
            seen.add(code)
            if not isinstance(item.get("name"), str) or not item["name"].strip():
                self.err(where, "needs a `name`")
            out.append(Role(code, str(item.get("name", "")), str(item.get("description", ""))))
        return out

    def _needs(self, items: Any) -> list[Need]:
        out: list[Need] = []
        if not isinstance(items, list) or not items:
            self.err("needs", "must be a non-empty list")
            return out
        seen: set[str] = set()
        for i, item in enumerate(items):
            code = item.get("code") if isinstance(item, Mapping) else None
            where = f"need {code!r}" if code else f"needs[{i}]"
            if not isinstance(item, Mapping) or not isinstance(code, str) or not _NEED_RE.match(code):
                self.err(where, "needs a `code` like need.some-name")
                continue
            if code in seen:
                self.err(where, "duplicate need code")
            seen.add(code)
            name = item.get("name")
            if not isinstance(name, str) or not name.strip():
                self.err(where, "needs a `name`")
            synonyms = item.get("synonyms", [])
            if not isinstance(synonyms, list) or not all(isinstance(s, str) and s.strip() for s in synonyms):
                self.err(where, "`synonyms` must be a list of non-empty strings")
                synonyms = []
            label = item.get("label", "")
            if not isinstance(label, str):
                self.err(where, "`label` must be text")
                label = ""
            lacking = item.get("if_lacking", "")
            if not isinstance(lacking, str) or (lacking and not _NEED_RE.match(lacking)):
                self.err(where, "`if_lacking` must be a need code")
                lacking = ""
            out.append(Need(code, str(name or ""), tuple(s.strip() for s in synonyms),
                            str(item.get("description", "")), label.strip(), lacking))
        for need in out:
            if need.if_lacking and need.if_lacking not in seen:
                self.err(f"need {need.code!r}", f"`if_lacking` names an unknown need {need.if_lacking!r}")
        return out

    def _rules(self, items: Any, role_codes: set[str], need_codes: set[str]) -> list[Rule]:
        out: list[Rule] = []
        if not isinstance(items, list) or not items:
            self.err("rules", "must be a non-empty list")
            return out
        seen: set[str] = set()
        for i, item in enumerate(items):
            rid = item.get("id") if isinstance(item, Mapping) else None
            where = f"rule {rid!r}" if rid else f"rules[{i}]"
            if not isinstance(item, Mapping):
                self.err(where, "must be a mapping")
                continue
            before = len(self.errors)
            if not isinstance(rid, str) or not _ID_RE.match(rid):
                self.err(where, "`id` must be lower-case words joined by hyphens")
            elif rid in seen:
                self.err(where, "duplicate rule id")
            seen.add(str(rid))
            unknown = set(item) - _RULE_KEYS
            if unknown:
                self.err(where, f"unknown keys {sorted(unknown)}")
            for key in _RULE_REQUIRED:
                value = item.get(key)
                if value is None or (isinstance(value, str) and not value.strip()):
                    self.err(where, f"`{key}` is required")
            for key in ("title", "explanation", "if_they_say_not_theirs", "source"):
                if key in item and not isinstance(item[key], str):
                    self.err(where, f"`{key}` must be text")
            needs = item.get("need")
            if isinstance(needs, str):
                needs = [needs]
            if not isinstance(needs, list) or not needs or not all(isinstance(n, str) for n in needs):
                self.err(where, "`need` must be a need code or a list of them")
                needs = []
            for n in needs:
                if n not in need_codes:
                    self.err(where, f"unknown need {n!r} (add it to `needs`)")
            role = item.get("role")
            if isinstance(role, str) and role not in role_codes:
                self.err(where, f"unknown role {role!r} (add it to `roles`)")
            url = item.get("source_url")
            if url is not None and (not isinstance(url, str) or not url.startswith("https://")):
                self.err(where, "`source_url` must be an https:// URL")
            reviewed = _as_date(item.get("last_reviewed"))
            if item.get("last_reviewed") is not None and reviewed is None:
                self.err(where, "`last_reviewed` must be a date (YYYY-MM-DD)")
            otherwise = item.get("otherwise", False)
            if not isinstance(otherwise, bool):
                self.err(where, "`otherwise` must be true or false")
                otherwise = False
            when = self._conditions(where, item.get("when"))
            if otherwise and not when.is_empty:
                self.err(where, "an `otherwise` rule can't also have `when` conditions")
            ask = item.get("ask", True)
            if not isinstance(ask, bool):
                self.err(where, "`ask` must be true or false")
                ask = True
            elif not ask and when.is_empty:
                self.err(where, "`ask: false` needs `when` conditions")
            if len(self.errors) == before:
                out.append(Rule(
                    id=rid, title=item["title"].strip(), needs=tuple(dict.fromkeys(needs)), role=role,
                    explanation=" ".join(item["explanation"].split()),
                    if_they_say_not_theirs=" ".join(item["if_they_say_not_theirs"].split()),
                    source=item["source"].strip(), last_reviewed=reviewed, when=when, otherwise=otherwise, ask=ask,
                    source_url=url, notes=str(item.get("notes", "")),
                ))
        return out

    def _conditions(self, where: str, when: Any) -> Conditions:
        if when is None:
            return Conditions()
        if not isinstance(when, Mapping):
            self.err(where, "`when` must be a mapping of conditions")
            return Conditions()
        unknown = set(when) - set(_CONDITION_KEYS)
        if unknown:
            self.err(where, f"unknown conditions {sorted(unknown)}; allowed: {', '.join(_CONDITION_KEYS)}")
        setting = when.get("setting")
        if setting is not None:
            setting = [setting] if isinstance(setting, str) else setting
            if not isinstance(setting, list) or not setting or any(s not in SETTINGS for s in setting):
                self.err(where, f"`setting` must be one or more of {', '.join(SETTINGS)}")
                setting = None
            else:
                setting = tuple(s for s in SETTINGS if s in setting)
        need_type = when.get("need_type")
        if need_type is not None and need_type not in NEED_TYPES:
            self.err(where, f"`need_type` must be one of {', '.join(NEED_TYPES)}")
            need_type = None
        numbers: dict[str, int | None] = {}
        for key in ("age_min", "age_max", "baby_age_days_min", "baby_age_days_max", "carer_age_min", "carer_age_max"):
            value = when.get(key)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                self.err(where, f"`{key}` must be a whole number, 0 or more")
                value = None
            numbers[key] = value
        for lo, hi in (("age_min", "age_max"), ("baby_age_days_min", "baby_age_days_max"),
                       ("carer_age_min", "carer_age_max")):
            if numbers[lo] is not None and numbers[hi] is not None and numbers[lo] > numbers[hi]:
                self.err(where, f"`{lo}` is more than `{hi}`")
        conditions = Conditions(setting=setting, need_type=need_type, **numbers)
        interval = conditions.age_interval()
        if interval is not None and interval[0] > interval[1]:
            self.err(where, "the age conditions can never all be true")
        if when and conditions.is_empty and not unknown:
            self.err(where, "`when` is empty")
        return conditions

    def _check_overlaps(self, rules: list[Rule]) -> None:
        """Two rules for the same needs must not both apply to the same facts with different roles."""
        by_needs: dict[tuple[str, ...], list[Rule]] = {}
        for r in rules:
            by_needs.setdefault(tuple(sorted(r.needs)), []).append(r)
        for group in by_needs.values():
            fallbacks = [r for r in group if r.otherwise]
            if len(fallbacks) > 1:
                self.err(f"rule {fallbacks[1].id!r}",
                         f"a second `otherwise` for the same needs as {fallbacks[0].id!r}")
            plain = [r for r in group if not r.otherwise]
            for i, a in enumerate(plain):
                for b in plain[i + 1:]:
                    if a.role != b.role and _overlap(a.when, b.when):
                        self.err(f"rule {b.id!r}",
                                 f"overlaps rule {a.id!r} (same needs, same facts, different role)")


def _overlap(a: Conditions, b: Conditions) -> bool:
    if a.setting is not None and b.setting is not None and not set(a.setting) & set(b.setting):
        return False
    if a.need_type is not None and b.need_type is not None and a.need_type != b.need_type:
        return False
    ca, cb = a.carer_interval() or (0, _INF), b.carer_interval() or (0, _INF)
    if ca[1] < cb[0] or cb[1] < ca[0]:
        return False
    ia, ib = a.age_interval() or (0, _INF), b.age_interval() or (0, _INF)
    return not (ia[1] < ib[0] or ib[1] < ia[0])


# --- Parsing the carer's answer -----------------------------------------------------------

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "a couple of": 2, "couple of": 2, "a few": 3, "few": 3,
}
_UNIT_DAYS = {"day": 1, "week": 7, "fortnight": 14, "month": 30, "year": 365}
_AMOUNT = r"(\d+(?:\.\d+)?|a couple of|couple of|a few|few|" + "|".join(
    sorted((w for w in _NUMBER_WORDS if " " not in w), key=len, reverse=True)) + r")"
_DURATION_RE = re.compile(_AMOUNT + r"\s*(?:and a half\s+)?-?\s*(day|week|fortnight|month|year|yr|wk|mnth|mth|mo)s?\b")
_HALF_RE = re.compile(r"\band a half\b")
_BARE_NUMBER_RE = re.compile(r"\b(\d{1,3})\b")

_CHILD_WORDS = ("child", "kid", "son", "daughter", "boy", "girl", "baby", "toddler", "teen", "under 18",
                "grandson", "granddaughter", "school", "nephew", "niece", "young person", "minor")
_ADULT_WORDS = ("adult", "grown", "over 18", "mum", "mom", "mother", "dad", "father", "husband", "wife",
                "partner", "nan", "gran", "grandma", "grandad", "grandfather", "grandmother", "aunt",
                "uncle", "brother", "sister", "elderly", "pensioner", "older", "me", "myself")


def _amount(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return float(_NUMBER_WORDS.get(text, 0)) or None


def _duration_days(text: str) -> int | None:
    m = _DURATION_RE.search(text)
    if not m:
        return None
    amount = _amount(m.group(1))
    if amount is None:
        return None
    unit = {"yr": "year", "wk": "week", "mo": "month", "mth": "month", "mnth": "month"}.get(m.group(2), m.group(2))
    if _HALF_RE.search(m.group(0)):
        amount += 0.5
    return int(round(amount * _UNIT_DAYS[unit]))


def _has_word(text: str, words: Iterable[str]) -> bool:
    return any(re.search(r"\b" + re.escape(w) + r"\b", text) for w in words)


def parse_clarification(field_name: str, text: str) -> Any:
    """Turn the carer's reply to a clarification into a Situation value, or None if unclear.

    setting -> "in_hospital" | "at_home" | "care_home"; need_type -> "health" | "social_care";
    age_group -> "child" | "adult"; age_years -> int; baby_age_days -> int.
    """
    t = " ".join(str(text or "").lower().replace("’", "'").split())
    if not t:
        return None
    if field_name == "setting":
        return _parse_setting(t)
    if field_name == "need_type":
        health = _has_word(t, ("nhs", "health", "hospital", "gp", "doctor", "nurse", "nursing", "medical",
                               "ward", "dentist", "pharmacy", "clinic", "surgery"))
        care = _has_word(t, ("social care", "social", "council", "care home", "carers", "care agency",
                             "agency", "support", "home care", "social worker", "care"))
        if health and not care:
            return "health"
        if care and not health:
            return "social_care"
        if health and care:
            # "the care home nurse" is ambiguous; "NHS" or "council" decide.
            if _has_word(t, ("nhs", "hospital", "gp")) and not _has_word(t, ("council", "social")):
                return "health"
            if _has_word(t, ("council", "social")) and not _has_word(t, ("nhs", "hospital", "gp")):
                return "social_care"
        return None
    if field_name == "age_group":
        years = _parse_age_years(t)
        if years is not None:
            return "adult" if years >= ADULT_AGE else "child"
        child, adult = _has_word(t, _CHILD_WORDS), _has_word(t, _ADULT_WORDS)
        if child != adult:
            return "child" if child else "adult"
        return None
    if field_name == "age_years":
        return _parse_age_years(t)
    if field_name == "baby_age_days":
        if re.search(r"\bborn (today|this morning|tonight)\b|\bnewborn\b|\bjust born\b", t):
            return 0
        if re.search(r"\bborn yesterday\b", t):
            return 1
        days = _duration_days(t)
        if days is not None:
            return days
        m = _BARE_NUMBER_RE.search(t)
        return int(m.group(1)) if m else None  # a bare number for a baby is taken as days
    raise ValueError(f"no parser for Situation field {field_name!r}")


_AT_HOME_RE = re.compile(
    r"\b(not|isn't|isnt|no longer|never|hasn't|hasnt|has not|haven't|havent) (been )?(in )?(the )?hospital\b"
    r"|\bleft (the )?hospital\b"
    r"|\bout of (the )?hospital\b|\bcame out\b|\bcome out\b|\bdischarged\b|\bsent home\b"
    r"|\b(at|back|already|got) home\b|\bhome (now|already|yesterday|today|last)\b|^home\b")
_NOT_HOME_RE = re.compile(
    r"\bnot (yet )?(back )?home\b|\bnot home yet\b|\bnot (been |yet )?discharged\b"
    r"|\bbefore (she|he|they) (comes?|goes?) home\b|\b(being|to be|will be|getting) discharged\b")


def _parse_setting(t: str) -> str | None:
    if re.search(r"\b(care|nursing|residential) home\b|\bin a home\b|\bresidential care\b", t):
        return "care_home"
    if _AT_HOME_RE.search(t) and not _NOT_HOME_RE.search(t):
        return "at_home"
    if re.search(r"\bhospital\b|\bward\b|\bstill in\b|\bnot (yet )?(back )?home\b|\bnot home yet\b"
                 r"|\bnot (been )?discharged\b|\badmitted\b|\bin patient\b|\binpatient\b", t):
        return "in_hospital"
    if re.search(r"\bhome\b|\bhouse\b|\bflat\b|\bbungalow\b", t):
        return "at_home"
    return None


def _parse_age_years(t: str) -> int | None:
    days = _duration_days(t)
    if days is not None and re.search(r"\b(day|week|fortnight|month|wk|mo)s?\b", t):
        return days // DAYS_PER_YEAR
    m = re.search(r"\b(\d{1,3})\s*(?:years?|yrs?|y/?o)?\b", t)
    if m:
        value = int(m.group(1))
        return value if value <= 120 else None
    if days is not None:
        return days // DAYS_PER_YEAR
    for word, n in _NUMBER_WORDS.items():
        if " " not in word and len(word) > 2 and re.search(r"\b" + word + r"\b", t):
            return n
    return None


# --- Facts already in a message -----------------------------------------------------------

_TEXT_AGE_RE = re.compile(
    r"\b(?:aged|age|is|she'?s|he'?s|they'?re|she is|he is|who'?s|turned|turning|"
    r"(?:mum|mom|dad|nan|gran|husband|wife|partner|son|daughter)'?s)\s+(?:only |just |nearly |almost |about |now )?"
    r"(\d{1,3})\b"
    r"(?!\s*(?:%|am|pm|mg|:|\.\d|(?:minutes?|mins?|miles?|hours?|hrs?|times?|pounds?|quid|stone|kg|kilos?|percent"
    r"|days?|weeks?|wks?|fortnights?|months?|mths?)\b))"
    # "84 years old", but not "in 2 years" or "for 3 years" (a duration, not an age)
    r"|(?<!\bin )(?<!\bfor )(?<!\bafter )(?<!\blast )\b(\d{1,3})\s*(?:years?|yrs?)\s*(?:old|of age)\b"
    r"|\b(\d{1,3})\s*y/?o\b"
    r"|\b(?:boy|girl|lad|lass|child|man|woman|lady|gentleman) of (\d{1,3})\b"
    # beside the person, in brackets: "mum (84)", "mum (june, 84)"
    r"|\b(?:mum|mom|mother|dad|father|nan|nanna|gran|grandma|grandad|grandpa|husband|wife|partner|son|daughter|"
    r"brother|sister|aunt|auntie|uncle|grandson|granddaughter|nephew|niece) \((?:[a-z]+,? )?(\d{1,3})\)")
_BABY_UNIT = r"(day|week|wk|fortnight|month|mth|mnth|mo)s?\b"
_TEXT_BABY_RE = re.compile(_AMOUNT + r"\s*-?\s*" + _BABY_UNIT + r"[\s-]*old\b"
                           # "she's 7 weeks and not putting on weight", "baby is 10 days"
                           r"|\b(?:is|she'?s|he'?s|baby'?s|only|just)\s+" + _AMOUNT
                           + r"\s*" + _BABY_UNIT + r"(?!\s+(?:ago|late|early|overdue|since|now))"
                           # told in passing, beside the person: "my grandson (6 wks)", "my son, 4 months,"
                           r"|[(,]\s*" + _AMOUNT + r"\s*" + _BABY_UNIT + r"(?:\s*old)?\s*[),]")
_TEXT_ADULT_RE = re.compile(
    r"(?:\bmy |^)(mum|mom|mother|dad|father|husband|wife|partner|nan|nanna|gran|grandma|grandad|grandpa|"
    r"grandfather|grandmother|aunt|auntie|aunty|uncle|mother-in-law|father-in-law|elderly)\b"
    # "mums finances", "dad's house": said of an adult relative without "my"
    r"|\b(mum|mom|dad|nan|nanna|gran|grandma|grandad|grandpa|husband|wife)'?s\b")
_TEXT_CHILD_RE = re.compile(r"\bmy (baby|newborn|toddler)\b|\b(new ?born|new baby)\b")
_TEXT_HOSPITAL_RE = re.compile(r"\b(is|she's|he's|they're) (still )?in hospital\b|\bon the ward\b"
                               r"|\b(the )?ward (says|said|say)\b|\bmedically fit\b|\b(go|come|coming|going) home "
                               r"(tomorrow|today|on|next|this)\b|\bdischarged? (tomorrow|on monday|next week)\b"
                               r"|\b(is|has been|was) admitted\b|\bstill in hospital\b")
_TEXT_HOME_RE = re.compile(r"\b(came|come|got|been|sent|went) (out of|home from) (the )?hospital\b|\bwas discharged\b"
                           r"|\b(sent|came|come|got|brought|went) (back )?home\b|\bhome from (the )?hospital\b"
                           r"|\bbeen discharged\b|\bdischarged (on|last|yesterday|today|this)\b"
                           r"|\b(is|she's|he's|they're) (back )?home\b|\bleft hospital\b"
                           r"|\b(never|not|hasn'?t|has not|haven'?t) (been )?(in|to) (the )?hospital\b")
_TEXT_CARE_HOME_RE = re.compile(
    r"\b(lives|living|is|she's|he's|they're) (now )?in a (care|nursing|residential) home\b")
# The carer's own age, said of themselves: "im 14", "i'm only 15", "i am 13 years old", "i'm her son, 15",
# "im a 16 year old". Not "i'm 14 weeks pregnant" or "i'm 5 minutes away".
_SELF_AGE_RE = re.compile(
    r"\b(?:i'?m|i am)\s+(?:(?:only|just|nearly|almost|now)\s+)?(?:an?\s+)?"
    r"(?:(?:her|his|their|the)\s+(?:son|daughter|grandson|granddaughter|brother|sister|child|kid|carer)\W+"
    r"(?:(?:and\s+)?(?:i'?m|aged|age)\s+)?(?:only\s+|just\s+)?)?"
    r"(\d{1,2})\b(?!\s*(?:%|weeks?|wks?|months?|days?|mins?|minutes?|hours?|hrs?|miles?|stone|kg|pounds?|quid|"
    r"times?|am\b|pm\b|:))")
# The midwife's care has ended ("the midwife signed us off", "midwives have finished with us"): the
# baby is past the midwife's time, which ends by day 28 at the latest (NICE NG194), so for the rules
# the baby is at least that old and the health visitor (and the GP for the mother) take over.
_MIDWIFE_DONE_RE = re.compile(
    r"\bmidwi(?:fe|ves|fes)?\s+(?:has\s+|have\s+|had\s+)?(?:now\s+|already\s+)?"
    r"(?:signed (?:us |me |him |her |them )?off|discharged|finished|stopped (?:coming|visiting)|done with|"
    r"(?:has |have )?gone)\b"
    r"|\bmidwi(?:fe|ves)\s+(?:doesn'?t|does not|don'?t|do not|isn'?t|is not|aren'?t|won'?t|no longer)\s+"
    r"(?:come|coming|visit|visiting)\b"
    r"|\bno more (?:visits from the )?midwi"
    r"|\b(?:signed|discharged) (?:off )?(?:by|from) (?:the )?midwi"
    r"|\bafter the midwi(?:fe|ves) (?:finished|stopped|left|signed)")
MIDWIFE_LAST_DAY = 28


def situation_from_text(text: str, base: Situation | None = None) -> Situation:
    """Facts stated plainly in a message ("she's 84", "3 weeks old", "came out of hospital").

    Conservative on purpose: only clear phrases count, and facts already in `base` (for example
    from the care record) are kept. Use it before `resolve` so the bot doesn't ask what it was told.
    """
    s = base or Situation()
    t = " ".join(str(text or "").lower().replace("’", "'").split())
    if s.setting is None:
        if _TEXT_CARE_HOME_RE.search(t):
            s = replace(s, setting="care_home")
        elif _TEXT_HOME_RE.search(t) and not _NOT_HOME_RE.search(t):
            s = replace(s, setting="at_home")
        elif _TEXT_HOSPITAL_RE.search(t):
            s = replace(s, setting="in_hospital")
    if s.baby_age_days is None and s.age_years is None:
        m = _TEXT_BABY_RE.search(t)
        if m:
            days = _duration_days(m.group(0))
            if days is not None:
                s = replace(s, baby_age_days=days)
        else:
            m = _TEXT_AGE_RE.search(t)
            if m:
                value = int(next(g for g in m.groups() if g))
                if value <= 120:
                    s = replace(s, age_years=value)
    if s.baby_age_days is None and s.age_years is None and _MIDWIFE_DONE_RE.search(t):
        s = replace(s, baby_age_days=MIDWIFE_LAST_DAY)
    if s.carer_age_years is None:
        m = _SELF_AGE_RE.search(t)
        if m and int(m.group(1)) >= 5:
            s = replace(s, carer_age_years=int(m.group(1)))
    if s.age_group is None and s.age_years is None and s.baby_age_days is None:
        if _TEXT_CHILD_RE.search(t):
            s = replace(s, age_group="child")
        elif _TEXT_ADULT_RE.search(t):
            s = replace(s, age_group="adult")
    return s
