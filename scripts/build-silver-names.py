#!/usr/bin/env python3
"""Builds the entity tagger's silver name lists from WikiANN and GMB.

Both sets carry machine-made ("silver") entity labels over text that
CoNLL-2003 does not cover: Wikipedia fragments and newswire. The tagger
reads the lists as features, never as answers, so their noise costs only
what cross-validation sees (models/ner-conll2003.md).

Each source gets its own files, since their licences differ
(models/gazetteer/ATTRIBUTION.md):

  silver-names-<source>.tsv  whole names: `name<TAB>TYPE`
  silver-words-<source>.tsv  capitalised words inside names: `word<TAB>TYPE`

A name or word is listed under every type that holds at least 30% of its
labelled occurrences in that source; GMB entries must be seen twice,
since its labels are mostly automatic. Person names lose leading titles
("President", "Mr."), which GMB counts as part of the name and CoNLL
does not.

Usage: scripts/build-silver-names.py [../shared/data] [models/gazetteer]
"""

import collections
import csv
import sys

TITLES = set(
    """mr. mrs. ms. dr. mr mrs ms dr president prime minister secretary general
    gen. king queen prince princess pope senator sen. chancellor foreign
    defense defence vice premier lieutenant lt. colonel col. sgt. sergeant
    captain capt. judge governor gov. mayor rep. representative ambassador
    envoy chief commander leader sheikh ayatollah cardinal bishop rev.
    reverend saint st. spokesman spokeswoman director chairman former
    interior finance state u.s. senior deputy first lady opposition army maj.
    major brig. admiral adm. crown emperor sir lord""".split()
)

# GMB's tags mapped to CoNLL's types; `tim` (dates) is not an entity there.
GMB_TYPES = {"per": "PER", "org": "ORG", "geo": "LOC", "gpe": "MISC",
             "art": "MISC", "eve": "MISC", "nat": "MISC"}

MIN_SHARE = 0.3
MAX_TOKENS = 6


def spans_iob(rows):
    """(word, type or None, begins) rows → lists of words per span, with type."""
    current, kind = [], None
    for word, tag_kind, begins in rows:
        if word is None:  # sentence boundary
            if current:
                yield current, kind
            current, kind = [], None
        elif tag_kind is not None and (begins or not current or tag_kind != kind):
            if current:
                yield current, kind
            current, kind = [word], tag_kind
        elif tag_kind is not None:
            current.append(word)
        else:
            if current:
                yield current, kind
            current, kind = [], None
    if current:
        yield current, kind


def wikiann_rows(path):
    with open(path, encoding="utf8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                yield None, None, False
                continue
            token, tag = line.rsplit("\t", 1) if "\t" in line else line.rsplit(" ", 1)
            token = token[3:] if token.startswith("en:") else token
            if tag == "O":
                yield token, None, False
            else:
                yield token, tag[2:], tag.startswith("B-")


def gmb_rows(path):
    with open(path, encoding="utf8", newline="") as f:
        rows = csv.reader(f)
        next(rows)
        for sentence, word, _pos, tag in rows:
            if sentence:
                yield None, None, False
            kind = GMB_TYPES.get(tag[2:]) if tag != "O" else None
            yield word, kind, tag.startswith("B-")


def count(spans):
    names = collections.defaultdict(collections.Counter)
    words = collections.defaultdict(collections.Counter)
    for words_of, kind in spans:
        if kind == "PER":
            while len(words_of) > 1 and words_of[0].lower() in TITLES:
                words_of = words_of[1:]
            if words_of[0].lower() in TITLES:
                continue
        if not words_of[0][:1].isupper() or len(words_of) > MAX_TOKENS:
            continue
        names[" ".join(words_of)][kind] += 1
        for w in words_of:
            if w[:1].isupper() and len(w) > 1 and w.lower() not in TITLES:
                words[w][kind] += 1
    return names, words


def write(table, path, min_count):
    rows = 0
    with open(path, "w", encoding="utf8") as f:
        for name, kinds in sorted(table.items()):
            total = sum(kinds.values())
            if total < min_count or "\t" in name:
                continue
            for kind, n in sorted(kinds.items()):
                if n >= MIN_SHARE * total:
                    f.write(f"{name}\t{kind}\n")
                    rows += 1
    print(f"{path}: {rows} rows")


def main():
    data = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"
    out = sys.argv[2] if len(sys.argv) > 2 else "models/gazetteer"
    wiki = [s for part in ("train", "dev") for s in spans_iob(wikiann_rows(f"{data}/wikiann/{part}"))]
    gmb = list(spans_iob(gmb_rows(f"{data}/gmb/ner_dataset.utf8.csv")))
    for source, spans, min_count in (("wikiann", wiki, 1), ("gmb", gmb, 2)):
        names, words = count(spans)
        write(names, f"{out}/silver-names-{source}.tsv", min_count)
        write(words, f"{out}/silver-words-{source}.tsv", min_count)


if __name__ == "__main__":
    main()
