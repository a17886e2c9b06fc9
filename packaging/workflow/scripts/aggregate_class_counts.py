"""Per-slide class counts from each slide's cells.json (official CellViT structure) -> one CSV + a bar plot."""
import csv
import json
from collections import Counter
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # cluster nodes have no display
import matplotlib.pyplot as plt


def slide_counts(path):
    with open(path) as handle:
        document = json.load(handle)
    names = {int(key): value for key, value in document.get("type_map", {}).items()}
    counts = Counter(names.get(int(cell["type"]), f"type {cell['type']}") for cell in document["cells"])
    return counts, [name for key, name in sorted(names.items()) if key != 0]


def main(inputs, slides, table_path, plot_path):
    rows, classes = [], []
    for slide, path in zip(slides, inputs):
        counts, names = slide_counts(path)
        for name in names + sorted(counts):
            if name not in classes:
                classes.append(name)
        rows.append((slide, counts))
    with open(table_path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["slide", "cells"] + classes + [f"{name} %" for name in classes])
        for slide, counts in rows:
            total = sum(counts.values())
            share = [f"{100.0 * counts[name] / total:.2f}" if total else "0.00" for name in classes]
            writer.writerow([slide, total] + [counts[name] for name in classes] + share)

    figure, axes = plt.subplots(figsize=(max(6, 1.2 * len(rows) + 2), 4.5))
    bottom = [0] * len(rows)
    for name in classes:
        heights = [counts[name] for _, counts in rows]
        axes.bar([slide for slide, _ in rows], heights, bottom=bottom, label=name)
        bottom = [b + h for b, h in zip(bottom, heights)]
    axes.set_ylabel("nuclei")
    axes.set_title("Nuclei per class and slide")
    if classes:
        axes.legend(fontsize="small")
    axes.tick_params(axis="x", labelrotation=30)
    figure.tight_layout()
    figure.savefig(plot_path, dpi=120)


main(list(snakemake.input), list(snakemake.params.slides), snakemake.output.table, snakemake.output.plot)
