#!/usr/bin/env python3
"""Writes YAKE's ten best key phrases for every article of a key-phrase set.

Evaluation only: the baseline the issue asks newsflow's extractor to beat.
It installs the PyPI package yake-rust 1.0.3 (the Python binding of the
yake-rust crate of the same version, MIT) under ~/.cache/newsflow, runs it
with its English defaults, and writes JSON lines that
`newsflow nlp eval-keywords --predicted` scores by the same matching rule
as newsflow's own extractor:

  {"file": "<the set's file>", "phrases": ["<best>", ...]}

usage: scripts/yake-keyphrases.py SET.jsonl [SET.jsonl ...] > yake.jsonl
"""
import json
import pathlib
import subprocess
import sys

PACKAGE = "yake-rust==1.0.3"
TARGET = pathlib.Path.home() / ".cache" / "newsflow" / "yake-rust-1.0.3"


def load_yake():
    if not TARGET.exists():
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
             "--target", str(TARGET), PACKAGE],
            check=True,
        )
    sys.path.insert(0, str(TARGET))
    from yake_rust import Yake  # noqa: E402 -- installed just above

    return Yake(language="en")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    yake = load_yake()
    for set_path in sys.argv[1:]:
        for line in pathlib.Path(set_path).read_text().splitlines():
            if not line.strip():
                continue
            file = json.loads(line)["file"]
            text = pathlib.Path(file).read_text()
            best = [phrase for phrase, _score in yake.get_n_best(text, n=10)]
            print(json.dumps({"file": file, "phrases": best}, ensure_ascii=False))


if __name__ == "__main__":
    main()
