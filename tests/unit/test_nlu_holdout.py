"""The NLU holdout figure (tests/rasa/nlu_holdout.yml, never trained on), printed with a floor.

Parses every held-out example with the trained model (models/onestory.tar.gz, which `make test`
trains first) and prints accuracy and per-intent F1. Skipped when no model has been trained.
"""
from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import pytest

from scripts.nlu_report import HOLDOUT, load_examples

MODEL = Path(__file__).resolve().parents[2] / "models" / "onestory.tar.gz"
ACCURACY_FLOOR = 0.80


@pytest.fixture(scope="module")
def agent():
    if not MODEL.exists():
        pytest.skip("no trained model: `make model` first (make test does)")
    from rasa.core.agent import Agent

    return Agent.load(str(MODEL))


def test_nlu_holdout_accuracy(agent, capsys):
    examples = load_examples(HOLDOUT)

    async def parse_all():
        return [(intent, (await agent.parse_message(text))["intent"]["name"]) for intent, text in examples]

    pairs = asyncio.run(parse_all())
    right = sum(1 for want, got in pairs if want == got)
    tp, fp, fn = Counter(), Counter(), Counter()
    for want, got in pairs:
        if want == got:
            tp[want] += 1
        else:
            fn[want] += 1
            fp[got] += 1
    lines = [f"\nNLU holdout ({HOLDOUT.name}, {len(pairs)} examples): accuracy {right / len(pairs):.2f}",
             f"{'intent':<24}{'f1':>6}{'support':>9}"]
    for intent in sorted({w for w, _ in pairs}):
        p = tp[intent] / (tp[intent] + fp[intent]) if tp[intent] + fp[intent] else 0.0
        r = tp[intent] / (tp[intent] + fn[intent]) if tp[intent] + fn[intent] else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        lines.append(f"{intent:<24}{f1:>6.2f}{tp[intent] + fn[intent]:>9}")
    with capsys.disabled():
        print("\n".join(lines))
    assert right / len(pairs) >= ACCURACY_FLOOR
