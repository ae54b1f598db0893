"""Train the Rasa model and the need classifier only when their inputs changed (content hashes,
not timestamps: a fresh clone has new timestamps but the same data)."""
from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "onestory.tar.gz"
FINGERPRINT = ROOT / "models" / "onestory.fingerprint"
INPUTS = ["config.yml", "domain", "data/nlu", "data/rules", "data/stories"]
TRAIN = ["train", "--domain", "domain", "--data", "data/nlu", "data/rules", "data/stories",
         "--config", "config.yml", "--out", "models", "--fixed-model-name", "onestory"]


def fingerprint() -> str:
    digest = hashlib.sha256()
    import rasa

    digest.update(rasa.__version__.encode())
    for name in INPUTS:
        path = ROOT / name
        files = sorted(path.rglob("*.yml")) if path.is_dir() else [path]
        for file in files:
            digest.update(str(file.relative_to(ROOT)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def train_needs() -> int:
    """The need classifier (models/needs/): the rule book's needs by meaning, not only by phrase."""
    sys.path.insert(0, str(ROOT))
    from bot.directory import need_training

    if not need_training.is_stale():
        print("Need classifier is up to date; not training.")
        return 0
    print("Training the need classifier (the rule book or its training data changed)...", flush=True)
    started = time.monotonic()
    model = need_training.train()
    print(f"Need classifier: {model.meta['examples']} examples, {len(model.classes)} needs, "
          f"trained in {time.monotonic() - started:.0f} s.")
    return 0


def main() -> int:
    status = train_rasa()
    return status or train_needs()


def train_rasa() -> int:
    wanted = fingerprint()
    if MODEL.exists() and FINGERPRINT.exists() and FINGERPRINT.read_text().strip() == wanted:
        print("Rasa model is up to date; not training.")
        return 0
    print("Training the Rasa model (the training data or config changed)...", flush=True)
    started = time.monotonic()
    rasa = str(Path(sys.executable).with_name("rasa"))
    result = subprocess.run([rasa, *TRAIN], cwd=ROOT)
    if result.returncode != 0:
        return result.returncode
    FINGERPRINT.write_text(wanted + "\n")
    print(f"Trained in {time.monotonic() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
