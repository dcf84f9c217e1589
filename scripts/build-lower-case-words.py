#!/usr/bin/env python3
"""Derives newsflow's table of words written mostly in lower case.

A capitalised word that opens a sentence or a headline may be a name or an
ordinary word; inside a sentence, case tells them apart. This script counts,
for each word, its sightings inside sentences (not first, not after a full
stop, quote, colon or bracket) written in lower case and written capitalised
(first letter upper, the rest lower), over three corpora in ../shared/data:

  conll2003/eng.train    Reuters 1996 (eng.testa, the entities' development
                         set, is left out)
  gmb/ner_dataset.utf8.csv  GMB newswire
  bbc/train.jsonl        BBC News 2004-2005

and writes models/lower-case-words.txt: the words seen at least MIN_SEEN
times, in lower case in at least MIN_SHARE of them, one lower-case word a
line, sorted. Standard library only; deterministic.

usage: scripts/build-lower-case-words.py [--data ../shared/data]
       [--out models/lower-case-words.txt]
"""
import argparse
import collections
import csv
import json
import pathlib
import re

MIN_SEEN = 5
MIN_SHARE = 0.9
# after these a capital letter says nothing
OPENERS = {".", "!", "?", '"', "'", ":", "``", "(", "-", "--"}
WORD = re.compile(r"[A-Za-z][A-Za-z'-]*|[.!?\"(:]")


def count(sentence, lower, capital):
    for i, word in enumerate(sentence):
        if i == 0 or not word[:1].isalpha() or sentence[i - 1] in OPENERS:
            continue
        low = word.lower()
        if word == low:
            lower[low] += 1
        elif word[0].isupper() and word[1:] == word[1:].lower():
            capital[low] += 1


def conll(path, lower, capital):
    sentence = []
    for line in open(path, encoding="utf-8"):
        if not line.strip() or line.startswith("-DOCSTART-"):
            count(sentence, lower, capital)
            sentence = []
        else:
            sentence.append(line.split()[0])
    count(sentence, lower, capital)


def gmb(path, lower, capital):
    sentence = []
    with open(path, encoding="utf-8", errors="replace") as f:
        rows = csv.reader(f)
        next(rows)
        for row in rows:
            if row[0].startswith("Sentence"):
                count(sentence, lower, capital)
                sentence = []
            sentence.append(row[1])
    count(sentence, lower, capital)


def bbc(path, lower, capital):
    for line in open(path, encoding="utf-8"):
        text = json.loads(line)["text"]
        for paragraph in text.split("\n"):
            for sentence in re.split(r"(?<=[.!?])\s+", paragraph):
                count(WORD.findall(sentence), lower, capital)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="../shared/data")
    parser.add_argument("--out", default="models/lower-case-words.txt")
    args = parser.parse_args()
    data = pathlib.Path(args.data)
    lower, capital = collections.Counter(), collections.Counter()
    conll(data / "conll2003" / "eng.train", lower, capital)
    gmb(data / "gmb" / "ner_dataset.utf8.csv", lower, capital)
    bbc(data / "bbc" / "train.jsonl", lower, capital)
    words = sorted(
        w
        for w, n in lower.items()
        if n + capital[w] >= MIN_SEEN and n >= MIN_SHARE * (n + capital[w])
    )
    pathlib.Path(args.out).write_text("".join(w + "\n" for w in words), encoding="utf-8")
    print(f"{len(words)} words written to {args.out}")


if __name__ == "__main__":
    main()
