"""Cases: short conversations, possibly between several people of one family, and their checks.

A case is `{id, about, steps: [...]}`. A step says `say` as an actor (`as`, default "A"): an actor
whose name starts with "web" talks over the REST channel, any other is a phone texting the SMS
webhook. A step may carry `signature: bad` (signed with a wrong token), `replay: true` (the
actor's previous SMS again, same MessageSid), `expect_status` (default 200), `expect_any`,
`expect_all`, `expect_none` (case-insensitive substrings of the replies), `expect_regex` and
`expect_silence`. `{phone:B}` in the text is actor B's number as a UK caller writes it (07...).
Numbers are made up afresh for every run, so each run starts new families.

With `follow_choice`, a checked step whose reply is a "did you mean" list ("Is it 1) ... or
2) ...? Reply 1 or 2") and fails its checks is answered "1" by the same actor, and the answer to
that is judged instead: the "who is responsible" issue counts a "did you mean" whose first choice
is right and whose answer follows. Such steps are marked, so a report gives both figures.
"""
from __future__ import annotations

import random
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tools.eval.client import BotClient, Reply, national

DID_YOU_MEAN = re.compile(r"\b1\)[^\n]*\b2\)[\s\S]*\bReply 1\b", re.IGNORECASE)
EXPECTATIONS = ("expect_any", "expect_all", "expect_none", "expect_regex", "expect_silence")
STEP_KEYS = {"as", "say", "signature", "replay", "expect_status", *EXPECTATIONS}


class CaseError(ValueError):
    """A cases file that does not follow the format."""


def load_cases(path: str | Path) -> list[dict[str, Any]]:
    """Read and check a cases file; a mistake names the case and step rather than failing later."""
    with open(path, encoding="utf-8") as handle:
        cases = yaml.safe_load(handle) or []
    if not isinstance(cases, list):
        raise CaseError(f"{path}: expected a list of cases")
    seen = set()
    for index, case in enumerate(cases, 1):
        if not isinstance(case, dict) or not case.get("id") or not isinstance(case.get("steps"), list):
            raise CaseError(f"{path}: case {index} needs an id and a list of steps")
        if case["id"] in seen:
            raise CaseError(f"{path}: case id {case['id']!r} is used twice")
        seen.add(case["id"])
        for number, step in enumerate(case["steps"], 1):
            unknown = set(step) - STEP_KEYS if isinstance(step, dict) else {"(not a mapping)"}
            if unknown or "say" not in step:
                raise CaseError(f"{path}: {case['id']} step {number}: needs `say`; unknown {sorted(unknown)}")
    return cases


def check(step: dict[str, Any], replies: list[str]) -> list[str]:
    """What is wrong with the replies to one step (an empty list when they meet its expectations)."""
    said = "\n".join(replies).lower()
    problems = []
    if step.get("expect_silence"):
        if replies:
            problems.append("expected no reply")
    elif not replies:
        problems.append("no reply")
    any_of = step.get("expect_any") or []
    if any_of and not any(str(word).lower() in said for word in any_of):
        problems.append(f"none of {any_of}")
    problems += [f"missing {word!r}" for word in step.get("expect_all") or [] if str(word).lower() not in said]
    problems += [f"should not say {word!r}" for word in step.get("expect_none") or [] if str(word).lower() in said]
    problems += [f"no match for /{pattern}/" for pattern in step.get("expect_regex") or []
                 if not re.search(pattern, "\n".join(replies), re.IGNORECASE | re.MULTILINE)]
    return problems


def has_expectations(step: dict[str, Any]) -> bool:
    return any(key in step for key in EXPECTATIONS)


@dataclass
class StepResult:
    actor: str
    text: str
    status: int
    replies: list[str]
    seconds: float
    problems: list[str]
    chose_first: bool = False  # passed on the answer to "1" after a "did you mean"


@dataclass
class CaseResult:
    id: str
    about: str
    steps: list[StepResult] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(not step.problems for step in self.steps)

    @property
    def chose_first(self) -> bool:
        """Passed, but only by answering "1" to a "did you mean" somewhere."""
        return self.passed and any(step.chose_first for step in self.steps)

    def transcript(self) -> str:
        lines = []
        for number, step in enumerate(self.steps, 1):
            lines.append(f"  {number}. {step.actor}: {step.text}")
            lines += [f"     bot: {reply}" for reply in step.replies]
            if step.chose_first:
                lines.append("     (judged on the answer to \"1\", the first choice of a \"did you mean\")")
            if step.problems:
                lines.append(f"     FAILED: {'; '.join(step.problems)}")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "about": self.about, "passed": self.passed, "chose_first": self.chose_first,
                "log": self.transcript(),
                "steps": [step.__dict__ for step in self.steps]}


class Family:
    """The actors of one case: a made-up UK mobile number per phone, a session id per web visitor."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.phones: dict[str, str] = {}
        self.tag = uuid.UUID(int=rng.getrandbits(128)).hex[:8]

    def phone(self, actor: str) -> str:
        if actor not in self.phones:
            self.phones[actor] = "+447" + "".join(self.rng.choice("0123456789") for _ in range(9))
        return self.phones[actor]

    def text(self, said: str) -> str:
        return re.sub(r"\{phone:(\w+)\}", lambda m: national(self.phone(m.group(1))), said)


def run_case(bot: BotClient, case: dict[str, Any], *, keep_going: bool = False,
             rng: random.Random | None = None, follow_choice: bool = False) -> CaseResult:
    """Play one case against the bot. Stops at the first failing step unless `keep_going`.
    `follow_choice`: answer "1" to a "did you mean" that fails a step's checks (module docstring)."""
    family = Family(rng or random.Random())
    result = CaseResult(case["id"], case.get("about", ""))
    last_sms: dict[str, dict[str, str]] = {}
    for step in case["steps"]:
        actor = str(step.get("as", "A"))
        text = family.text(str(step["say"] if step["say"] is not None else ""))
        if actor.startswith("web"):
            reply = bot.web(f"{actor}-{family.tag}", text)
        else:
            params = last_sms.get(actor) if step.get("replay") else None
            if params is None:
                params = bot.sms_params(family.phone(actor), text)
            last_sms[actor] = params
            text = params["Body"]
            reply = bot.sms(params, bad_signature=step.get("signature") == "bad")
        found = StepResult(actor, text, reply.status, reply.texts, reply.seconds, judge(step, reply))
        if found.problems and follow_choice and not actor.startswith("web") and \
                DID_YOU_MEAN.search("\n".join(reply.texts)):
            choice = bot.sms(bot.sms_params(family.phone(actor), "1"))
            found = StepResult(actor, f"{text}\n     [did you mean: {' '.join(reply.texts)}]\n  A: 1", choice.status,
                               choice.texts, reply.seconds + choice.seconds, judge(step, choice),
                               chose_first=True)
        result.steps.append(found)
        if result.steps[-1].problems and not keep_going:
            break
    return result


def judge(step: dict[str, Any], reply: Reply) -> list[str]:
    wanted = int(step.get("expect_status", 200))
    if reply.status != wanted:
        return [f"HTTP {reply.status}, expected {wanted}"]
    if wanted == 200 and has_expectations(step):
        return check(step, reply.texts)
    return []
