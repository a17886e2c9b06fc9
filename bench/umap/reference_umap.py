#!/usr/bin/env python3
"""umap-learn (Debian package umap-learn) on the matrix written by `bench_umap --save-data FILE`: wall time and
trustworthiness@10 on the same subsample rule as bench_umap (every (n // subsample)-th row).

    python3 bench/umap/reference_umap.py FILE [--threads 2] [--subsample 3000]
"""
import argparse
import os
import sys
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("data")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--subsample", type=int, default=3000)
    args = parser.parse_args()
    os.environ["NUMBA_NUM_THREADS"] = str(args.threads)
    os.environ["OMP_NUM_THREADS"] = str(args.threads)
    import numpy as np
    import umap
    from sklearn.manifold import trustworthiness

    data = np.load(args.data)
    start = time.perf_counter()
    layout = umap.UMAP(n_neighbors=15, min_dist=0.1, random_state=None, n_jobs=args.threads).fit_transform(data)
    seconds = time.perf_counter() - start
    m = min(args.subsample, len(data))
    step = len(data) // m
    rows = np.arange(m) * step
    trust = trustworthiness(data[rows], layout[rows], n_neighbors=10)
    print(f"umap-learn {data.shape[0]} x {data.shape[1]}, {args.threads} threads: {seconds:.2f} s wall "
          f"(includes numba JIT), trustworthiness@10 on {m} rows {trust:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
