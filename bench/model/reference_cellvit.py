#!/usr/bin/env python3
"""PyTorch-eager stand-in for the reference CellViT forward, for side-by-side timing.

Written from the behaviour described in shared/reference/cellvit-facts.md §1 (the official code is not
vendored): ViT encoder with CLS token and DINO pos-embed resize, UNETR decoder whose shared skip
paths are recomputed for each of the three branches, exactly as the official forward does.
`--verify` checks it against a golden checkpoint so the timing is of the real computation.

  reference_cellvit.py --time 256 --threads 2 --repeats 3     -> JSON {"seconds": [...], "peak_rss_mb": ...}
  reference_cellvit.py --verify CKPT INPUT.png EXPECTED_DIR   -> max abs diffs
"""
import argparse
import json
import math
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads, self.scale = heads, (dim // heads) ** -0.5
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        B, N, C = x.shape
        qkv = self.qkv(x).reshape(B, N, 3, self.heads, C // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        attn = ((q @ k.transpose(-2, -1)) * self.scale).softmax(dim=-1)
        return self.proj((attn @ v).transpose(1, 2).reshape(B, N, C))


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1, self.act, self.fc2 = nn.Linear(dim, hidden), nn.GELU(), nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.norm1, self.attn = nn.LayerNorm(dim, eps=1e-6), Attention(dim, heads)
        self.norm2, self.mlp = nn.LayerNorm(dim, eps=1e-6), Mlp(dim, dim * 4)

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class PatchEmbed(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.proj = nn.Conv2d(3, dim, 16, 16)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)


class Encoder(nn.Module):
    def __init__(self, dim, depth, heads, extract, tissue):
        super().__init__()
        self.extract = extract
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, 197, dim))
        self.patch_embed = PatchEmbed(dim)
        self.blocks = nn.ModuleList([Block(dim, heads) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.head = nn.Linear(dim, tissue)

    def pos(self, x, w, h):
        npatch, N = x.shape[1] - 1, self.pos_embed.shape[1] - 1
        if npatch == N and w == h:
            return self.pos_embed
        dim = x.shape[-1]
        w0, h0 = w // 16 + 0.1, h // 16 + 0.1
        grid = self.pos_embed[:, 1:].reshape(1, int(math.sqrt(N)), int(math.sqrt(N)), dim).permute(0, 3, 1, 2)
        grid = F.interpolate(grid, scale_factor=(w0 / math.sqrt(N), h0 / math.sqrt(N)), mode="bicubic")
        return torch.cat((self.pos_embed[:, :1], grid.permute(0, 2, 3, 1).view(1, -1, dim)), dim=1)

    def forward(self, img):
        B, _, H, W = img.shape
        x = self.patch_embed(img)
        x = torch.cat((self.cls_token.expand(B, -1, -1), x), dim=1)
        x = x + self.pos(x, W, H)
        skips = []
        for i, blk in enumerate(self.blocks):
            x = blk(x)
            if i + 1 in self.extract:
                skips.append(x)
        return self.head(self.norm(x)[:, 0]), skips


def conv_block(i, o):
    m = nn.Module()
    m.block = nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(True), nn.Dropout(0))
    m.forward = m.block.forward
    return m


def deconv_block(i, o):
    m = nn.Module()
    m.block = nn.Sequential(nn.ConvTranspose2d(i, o, 2, 2), nn.Conv2d(o, o, 3, padding=1), nn.BatchNorm2d(o),
                            nn.ReLU(True), nn.Dropout(0))
    m.forward = m.block.forward
    return m


class Branch(nn.Module):
    def __init__(self, dim, bn, out):
        super().__init__()
        self.bottleneck_upsampler = nn.ConvTranspose2d(dim, bn, 2, 2)
        self.decoder3_upsampler = nn.Sequential(conv_block(2 * bn, bn), conv_block(bn, bn), conv_block(bn, bn),
                                                nn.ConvTranspose2d(bn, 256, 2, 2))
        self.decoder2_upsampler = nn.Sequential(conv_block(512, 256), conv_block(256, 256),
                                                nn.ConvTranspose2d(256, 128, 2, 2))
        self.decoder1_upsampler = nn.Sequential(conv_block(256, 128), conv_block(128, 128),
                                                nn.ConvTranspose2d(128, 64, 2, 2))
        self.decoder0_header = nn.Sequential(conv_block(128, 64), conv_block(64, 64), nn.Conv2d(64, out, 1))


class CellViT(nn.Module):
    def __init__(self, dim=384, depth=12, heads=6, extract=(3, 6, 9, 12), classes=6, tissue=19):
        super().__init__()
        s11, s12, bn = (256, 128, 312) if dim < 512 else (512, 256, 512)
        self.dim = dim
        self.encoder = Encoder(dim, depth, heads, extract, tissue)
        self.decoder0 = nn.Sequential(conv_block(3, 32), conv_block(32, 64))
        self.decoder1 = nn.Sequential(deconv_block(dim, s11), deconv_block(s11, s12), deconv_block(s12, 128))
        self.decoder2 = nn.Sequential(deconv_block(dim, s11), deconv_block(s11, 256))
        self.decoder3 = nn.Sequential(deconv_block(dim, bn))
        self.nuclei_binary_map_decoder = Branch(dim, bn, 2)
        self.hv_map_decoder = Branch(dim, bn, 2)
        self.nuclei_type_maps_decoder = Branch(dim, bn, classes)

    def upsample(self, z0, z1, z2, z3, z4, br):
        # As the official forward: the shared skip paths run again for every branch.
        b4 = br.bottleneck_upsampler(z4)
        b3 = br.decoder3_upsampler(torch.cat([self.decoder3(z3), b4], 1))
        b2 = br.decoder2_upsampler(torch.cat([self.decoder2(z2), b3], 1))
        b1 = br.decoder1_upsampler(torch.cat([self.decoder1(z1), b2], 1))
        return br.decoder0_header(torch.cat([self.decoder0(z0), b1], 1))

    def forward(self, x):
        tissue, z = self.encoder(x)
        h, w = x.shape[2] // 16, x.shape[3] // 16
        z1, z2, z3, z4 = [t[:, 1:, :].transpose(-1, -2).view(-1, self.dim, h, w) for t in z]
        return {
            "tissue_types": tissue,
            "nuclei_binary_map": self.upsample(x, z1, z2, z3, z4, self.nuclei_binary_map_decoder),
            "hv_map": self.upsample(x, z1, z2, z3, z4, self.hv_map_decoder),
            "nuclei_type_map": self.upsample(x, z1, z2, z3, z4, self.nuclei_type_maps_decoder),
            "tokens": z4,
        }


def time_forward(size, threads, repeats):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = CellViT().eval()
    x = torch.randn(1, 3, size, size)
    seconds = []
    with torch.no_grad():
        model(x)  # warm-up
        for _ in range(repeats):
            t0 = time.perf_counter()
            model(x)
            seconds.append(time.perf_counter() - t0)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(json.dumps({"impl": "pytorch-eager", "torch": torch.__version__, "size": size, "threads": threads,
                      "seconds": seconds, "peak_rss_mb": rss_mb}))


def verify(ckpt_path, image_path, expected_dir):
    import numpy as np
    from PIL import Image
    ckpt = torch.load(ckpt_path, map_location="cpu")
    cfg = ckpt["config"]
    model = CellViT(cfg["model.embed_dim"], cfg["model.depth"], cfg["model.num_heads"], cfg["model.extract_layers"],
                    cfg["data.num_nuclei_classes"], cfg["data.num_tissue_classes"]).eval()
    model.load_state_dict(ckpt["model_state_dict"], strict=True)
    img = torch.from_numpy(np.asarray(Image.open(image_path).convert("RGB")).copy()).permute(2, 0, 1).float()
    x = ((img / 255.0 - 0.5) / 0.5).unsqueeze(0)
    with torch.no_grad():
        out = model(x)
    names = {"nuclei_binary_map_logits": "nuclei_binary_map", "tissue_types_logits": "tissue_types",
             "tokens": "tokens", "hv_map": "hv_map"}
    worst = 0.0
    for file, key in names.items():
        try:
            expected = torch.from_numpy(np.load(f"{expected_dir}/{file}.npy"))
        except FileNotFoundError:
            continue
        diff = (out[key] - expected).abs().max().item()
        worst = max(worst, diff)
        print(f"{file}: max abs diff {diff:.3g}")
    return 0 if worst <= 1e-4 else 1


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--time", type=int, metavar="SIZE")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--verify", nargs=3, metavar=("CKPT", "IMAGE", "EXPECTED_DIR"))
    a = p.parse_args()
    if a.verify:
        return verify(*a.verify)
    if a.time:
        time_forward(a.time, a.threads, a.repeats)
        return 0
    p.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
