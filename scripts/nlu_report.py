#!/usr/bin/env python3
"""Summarise a `rasa test nlu` run and guard the held-out set against leaking into training.

Usage:
  scripts/nlu_report.py [RESULTS_DIR]        per-intent precision/recall/F1, accuracy, errors
  scripts/nlu_report.py --overlap            holdout sentences too close to training sentences

RESULTS_DIR defaults to var/rasa-results/nlu (what `rasa test nlu --out` wrote).
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TRAIN_DIR = ROOT / "data" / "nlu"
HOLDOUT = ROOT / "tests" / "rasa" / "nlu_holdout.yml"


def load_examples(path: Path) -> list[tuple[str, str]]:
    """(intent, text) pairs from one Rasa 3 NLU yml file."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    pairs = []
    for block in doc.get("nlu", []):
        if "intent" not in block:
            continue
        for line in str(block.get("examples", "")).splitlines():
            line = line.strip()
            if line.startswith("- "):
                pairs.append((block["intent"], line[2:].strip()))
    return pairs


def tokens(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9']+", text.lower()))


def overlap(threshold: float = 0.75) -> int:
    """Print holdout examples whose word overlap (Jaccard) with a training example is high."""
    train = [ex for f in sorted(TRAIN_DIR.glob("*.yml")) for ex in load_examples(f)]
    close = 0
    for intent, text in load_examples(HOLDOUT):
        t = tokens(text)
        if not t:
            continue
        best = max(train, key=lambda ex: len(t & tokens(ex[1])) / len(t | tokens(ex[1]) or {""}))
        score = len(t & tokens(best[1])) / len(t | tokens(best[1]))
        if score >= threshold and len(t) > 1:
            close += 1
            print(f"{score:.2f}  [{intent}] {text!r}  ~  [{best[0]}] {best[1]!r}")
    print(f"{close} holdout examples with Jaccard >= {threshold}")
    return close


def report(results: Path) -> None:
    rep = json.loads((results / "intent_report.json").read_text())
    print(f"{'intent':24s} {'prec':>5s} {'rec':>5s} {'f1':>5s} {'n':>4s}")
    for name, m in sorted(rep.items()):
        if isinstance(m, dict) and name not in ("macro avg", "weighted avg", "micro avg"):
            print(f"{name:24s} {m['precision']:5.2f} {m['recall']:5.2f} {m['f1-score']:5.2f} {m['support']:4d}")
    for name in ("macro avg", "weighted avg"):
        if name in rep:
            print(f"{name:24s} {rep[name]['precision']:5.2f} {rep[name]['recall']:5.2f} {rep[name]['f1-score']:5.2f}")
    print(f"accuracy {rep.get('accuracy', rep.get('micro avg', {}).get('f1-score', 0)):.3f}")
    errors_file = results / "intent_errors.json"
    if errors_file.exists():
        errors = json.loads(errors_file.read_text())
        print(f"\n{len(errors)} errors (expected -> predicted, confidence):")
        for e in sorted(errors, key=lambda e: e["intent"]):
            pred = e["intent_prediction"]
            print(f"  {e['intent']} -> {pred['name']} {pred['confidence']:.2f} | {e['text']}")


if __name__ == "__main__":
    if "--overlap" in sys.argv:
        sys.exit(1 if overlap() else 0)
    report(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "var" / "rasa-results" / "nlu")
