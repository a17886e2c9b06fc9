#!/usr/bin/python3
"""Regenerates the small seed files under fuzz/corpus/ from the shared data and golden files.

Usage: fuzz/make_corpus.py <shared dir> <scratch dir>
Needs python3 with torch (Debian python3-torch) and a built cellvit-cli on PATH for the safetensors seed.
The large originals (96 MB checkpoints, 0.3-3.6 MB GeoJSON/XML) are not copied: scripts/run-fuzzers.sh passes
their folders to the fuzzers as extra read-only corpora when they exist.
"""
import collections
import json
import pathlib
import struct
import subprocess
import sys
import tarfile
import zipfile

import torch

shared = pathlib.Path(sys.argv[1])
scratch = pathlib.Path(sys.argv[2])
corpus = pathlib.Path(__file__).resolve().parent / "corpus"


def out(target, name, data):
    folder = corpus / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def shrunk_checkpoint(pth):
    """The trainer layout of a real checkpoint with a handful of tiny tensors (views, offsets, int buffers)."""
    full = torch.load(pth, map_location="cpu")
    small_sd = collections.OrderedDict()
    for i, (key, tensor) in enumerate(full["model_state_dict"].items()):
        if i >= 6 and not key.endswith("num_batches_tracked"):
            continue
        small_sd[key] = tensor.reshape(-1)[:6].clone()
        if len(small_sd) >= 8:
            break
    base = torch.arange(12, dtype=torch.float32)
    small_sd["view.offset"] = base[2:8].view(2, 3)  # shares a storage, non-zero offset
    small_sd["view.strided"] = base.view(3, 4).t()  # non-contiguous strides
    small_sd["half"] = torch.ones(2, 2, dtype=torch.float16)
    small_sd._metadata = getattr(full["model_state_dict"], "_metadata", collections.OrderedDict())
    small = {k: v for k, v in full.items() if k != "model_state_dict"}
    small["model_state_dict"] = small_sd
    return small


def tiny_checkpoint(arch):
    """A few hundred bytes with every construct the reader knows: numpy scalars, tuples, sets, None, nesting."""
    import numpy
    sd = collections.OrderedDict()
    sd["w"] = torch.tensor([[1.0, -2.0], [0.5, 4.0]])
    sd["bn.num_batches_tracked"] = torch.tensor(7)
    sd["b"] = torch.zeros(0, 3, dtype=torch.float64)
    sd._metadata = collections.OrderedDict({"": {"version": 1}})
    config = {"model.embed_dim": 8, "model.extract_layers": (1, 2), "data.mean": [0.5, 0.5],
              "lr": numpy.float64(1e-4), "steps": numpy.int64(3), "flag": True, "none": None,
              "nested": {"k": frozenset({1})}}
    return {"arch": arch, "epoch": 0, "config": config, "model_state_dict": sd, "best_metric": None}


def main():
    for arch in ("CellViT", "CellViTSAM"):
        tiny = scratch / (arch + "_tiny.pth")
        scratch.mkdir(parents=True, exist_ok=True)
        torch.save(tiny_checkpoint(arch), tiny)
        out("checkpoint", arch + "_tiny.pth", tiny.read_bytes())
        with zipfile.ZipFile(tiny) as z:
            out("pickle", arch + "_tiny_data.pkl", z.read(next(n for n in z.namelist() if n.endswith("data.pkl"))))
        torch.save(tiny_checkpoint(arch), tiny, pickle_protocol=4)
        with zipfile.ZipFile(tiny) as z:
            out("pickle", arch + "_tiny_proto4.pkl", z.read(next(n for n in z.namelist() if n.endswith("data.pkl"))))
    for kind in ("vit_small", "sam_small"):
        folder = scratch / kind
        folder.mkdir(parents=True, exist_ok=True)
        with tarfile.open(shared / "golden/model" / kind / "checkpoint.pth.tar.xz") as tar:
            tar.extractall(folder)
        pth = folder / "checkpoint.pth"
        with zipfile.ZipFile(pth) as z:
            out("pickle", kind + "_data.pkl", z.read(next(n for n in z.namelist() if n.endswith("data.pkl"))))
        small = folder / "small.pth"
        torch.save(shrunk_checkpoint(pth), small)
        out("checkpoint", kind + "_small.pth", small.read_bytes())
        with zipfile.ZipFile(small) as z:
            out("pickle", kind + "_small_data.pkl", z.read(next(n for n in z.namelist() if n.endswith("data.pkl"))))
        # safetensors as written by `cellvit-cli convert`, of the shrunk checkpoint.
        st = folder / "small.safetensors"
        subprocess.run(["cellvit-cli", "convert", str(small), str(st)], check=True)
        out("safetensors", kind + "_small.safetensors", st.read_bytes())
        out("checkpoint", kind + "_small.safetensors", st.read_bytes())
        # Only the header of the full converted file (the data are cut off): exercises the offset checks.
        full_st = folder / "full.safetensors"
        subprocess.run(["cellvit-cli", "convert", str(pth), str(full_st)], check=True)
        raw = full_st.read_bytes()
        (length,) = struct.unpack("<Q", raw[:8])
        out("safetensors", kind + "_header_only.safetensors", raw[: 8 + length + 64])
        full_st.unlink()

    # GeoJSON: the first features of PUMA files (QuPath FeatureCollection), plus CellViT's per-class list form.
    puma = sorted((shared / "data/puma_nuclei_geojson_samples").glob("*.geojson"))
    for path in puma[:3]:
        doc = json.loads(path.read_text())
        doc["features"] = doc["features"][:4]
        text = json.dumps(doc).encode()
        out("geojson_import", path.stem[:40] + ".geojson", text)
        out("metrics_geojson", path.stem[:40] + ".geojson", text)
    doc = json.loads(puma[0].read_text())
    per_class = collections.OrderedDict()
    for feature in doc["features"][:12]:
        name = feature.get("properties", {}).get("classification", {}).get("name", "nucleus")
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        per_class.setdefault(name, []).extend(polygons)
    cellvit_list = [
        {"type": "Feature", "geometry": {"type": "MultiPolygon", "coordinates": polys},
         "properties": {"objectType": "annotation", "classification": {"name": name, "color": [255, 0, 0]}}}
        for name, polys in per_class.items()
    ]
    text = json.dumps(cellvit_list).encode()
    out("geojson_import", "cellvit_per_class_list.geojson", text)
    out("metrics_geojson", "cellvit_per_class_list.geojson", text)

    # ImageScope XML: MoNuSeg annotations cut after the third Region.
    for path in sorted((shared / "data/monuseg_train_subset/Annotations").glob("*.xml"))[:2]:
        text = path.read_text(errors="replace")
        cut = 0
        for _ in range(3):
            cut = text.index("</Region>", cut) + len("</Region>")
        tail = "\n</Regions>\n</Annotation>\n</Annotations>\n"
        out("imagescope_xml", path.stem + ".xml", (text[:cut] + tail).encode())


if __name__ == "__main__":
    main()
