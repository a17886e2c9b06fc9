#!/usr/bin/env python3
"""Independent Python implementation of the CellViT/HoVer-Net post-processing (cellvit-facts §3),
built from scipy.ndimage, skimage.segmentation.watershed and cv2 the way the reference calls them.

Used by bench_postproc to time the reference on the same maps as the C++ port, and to cross-check it.

  reference_postproc.py --np NP.npy --hv HV.npy --nt NT.npy --magnification 40 [--repeat N] [--remap official|lut]
                        [--out DIR]

The renumbering after the watershed follows the official code by default (one pass over the patch per instance,
as CellViT v2's postprocessing_numpy calls remap_label); --remap lut does it with one lookup table instead.

NP / NT: (C,H,W) float probabilities or (H,W) uint8 argmax maps. HV: (2,H,W) float32.
Prints one JSON line: {"ms_per_patch": [...], "num_instances": n, "num_cells": n}.
"""
import argparse
import json
import os
import time

import cv2
import numpy as np
from scipy import ndimage
from skimage.segmentation import watershed


def argmax_map(a):
    return a if a.ndim == 2 else np.argmax(a, axis=0)


def drop_small_components(labels, min_size):
    sizes = np.bincount(labels.ravel())
    labels[(sizes < min_size)[labels]] = 0
    return labels


def instance_map(np_map, hx, hy, object_size, ksize):
    blb = np.array(np_map >= 0.5, dtype=np.int32)
    blb = drop_small_components(ndimage.label(blb)[0], 10)
    blb[blb > 0] = 1

    h_dir = cv2.normalize(hx, None, alpha=0, beta=1, norm_type=cv2.NORM_MINMAX, dtype=cv2.CV_32F)
    v_dir = cv2.normalize(hy, None, alpha=0, beta=1, norm_type=cv2.NORM_MINMAX, dtype=cv2.CV_32F)
    sobel_h = cv2.Sobel(h_dir, cv2.CV_64F, 1, 0, ksize=ksize)
    sobel_v = cv2.Sobel(v_dir, cv2.CV_64F, 0, 1, ksize=ksize)
    sobel_h = 1 - cv2.normalize(sobel_h, None, alpha=0, beta=1, norm_type=cv2.NORM_MINMAX, dtype=cv2.CV_32F)
    sobel_v = 1 - cv2.normalize(sobel_v, None, alpha=0, beta=1, norm_type=cv2.NORM_MINMAX, dtype=cv2.CV_32F)

    overall = np.maximum(sobel_h, sobel_v) - (1 - blb)  # float32 - int32 -> float64
    overall[overall < 0] = 0
    dist = -cv2.GaussianBlur((1.0 - overall) * blb, (3, 3), 0)

    marker = blb - np.array(overall >= 0.4, dtype=np.int32)
    marker[marker < 0] = 0
    marker = ndimage.binary_fill_holes(marker).astype(np.uint8)
    marker = cv2.morphologyEx(marker, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5)))
    marker = drop_small_components(ndimage.label(marker)[0], object_size)
    return watershed(dist, markers=marker, mask=blb)


def remap_label_lut(inst):
    """Contiguous ids through one lookup table (faster than the official code)."""
    ids = np.unique(inst)
    ids = ids[ids > 0]
    lut = np.zeros(inst.max() + 1, dtype=np.int32)
    lut[ids] = np.arange(1, len(ids) + 1, dtype=np.int32)
    return lut[inst]


def remap_label_official(inst):
    """Contiguous ids the way the official pipeline renumbers them (CellViT v2 `cellvit.utils.tools.remap_label`,
    from HoVer-Net): one comparison over the whole patch per instance."""
    ids = [i for i in np.unique(inst) if i != 0]
    if not ids:
        return inst
    out = np.zeros(inst.shape, np.int32)
    for new_id, old_id in enumerate(ids, start=1):
        out[inst == old_id] = new_id
    return out


def cell_records(inst, types):
    cells = []
    for inst_id in np.unique(inst)[1:]:
        mask = inst == inst_id
        rows, cols = np.where(np.any(mask, axis=1))[0], np.where(np.any(mask, axis=0))[0]
        rmin, rmax, cmin, cmax = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
        crop = mask[rmin:rmax, cmin:cmax].astype(np.uint8)
        m = cv2.moments(crop)
        contour = np.squeeze(cv2.findContours(crop, cv2.RETR_TREE, cv2.CHAIN_APPROX_SIMPLE)[0][0].astype(np.int32))
        if contour.ndim != 2 or contour.shape[0] < 3:
            continue
        contour = contour + np.array([cmin, rmin], dtype=np.int32)
        values, counts = np.unique(types[rmin:rmax, cmin:cmax][crop > 0], return_counts=True)
        ranked = sorted(zip(values, counts), key=lambda vc: vc[1], reverse=True)
        chosen = ranked[1] if ranked[0][0] == 0 and len(ranked) > 1 else ranked[0]
        cells.append({"id": int(inst_id), "bbox": [[int(rmin), int(cmin)], [int(rmax), int(cmax)]],
                      "centroid": [m["m10"] / m["m00"] + cmin, m["m01"] / m["m00"] + rmin],
                      "contour": contour.tolist(), "type": int(chosen[0]),
                      "type_prob": float(chosen[1] / (crop.sum() + 1.0e-6))})
    return cells


def postprocess(np_map, hv, types, magnification, remap_label=remap_label_official):
    object_size, ksize = (10, 21) if magnification == 40 else (3, 11)
    inst = remap_label(instance_map(np_map.astype(np.float32), hv[0].astype(np.float32),
                                    hv[1].astype(np.float32), object_size, ksize))
    return inst, cell_records(inst, types.astype(np.int32))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--np", required=True)
    parser.add_argument("--hv", required=True)
    parser.add_argument("--nt", required=True)
    parser.add_argument("--magnification", type=int, choices=(20, 40), default=40)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--remap", choices=("official", "lut"), default="official",
                        help="renumbering: the official per-instance loop (default) or one lookup table")
    parser.add_argument("--out")
    args = parser.parse_args()

    np_map, types, hv = argmax_map(np.load(args.np)), argmax_map(np.load(args.nt)), np.load(args.hv)
    timings = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        inst, cells = postprocess(np_map, hv, types, args.magnification,
                                  remap_label_official if args.remap == "official" else remap_label_lut)
        timings.append((time.perf_counter() - start) * 1000.0)
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        np.save(os.path.join(args.out, "instance_map.npy"), inst.astype(np.int32))
        with open(os.path.join(args.out, "cells.json"), "w") as f:
            json.dump(cells, f)
    print(json.dumps({"ms_per_patch": timings, "num_instances": int(inst.max()), "num_cells": len(cells)}))


if __name__ == "__main__":
    main()
