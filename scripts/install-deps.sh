#!/usr/bin/env bash
# Installs everything CellViT Studio needs on Debian 12 (build, tests, benchmarks). Idempotent.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git xz-utils
  qt6-base-dev qt6-charts-dev qt6-svg-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n
  libgl-dev libqt6opengl6-dev
  xvfb xauth
  libtorch-dev
  # Without OpenBLAS (OpenMP build) Debian's libtorch falls back to the reference BLAS: ~50× slower.
  libopenblas0-openmp
  libopenslide-dev openslide-tools
  libopencv-dev libboost-dev nlohmann-json3-dev libhnswlib-dev libmatio-dev libqt6sql6-sqlite
  # GEOS: valid polygons in the QuPath export, repaired ROIs, the reference merge's shapely operations (issue #14).
  # jemalloc: the programs' allocator, which reuses freed tensor memory instead of re-zeroing pages (issue #15).
  libgeos-dev libjemalloc-dev
  # Clipper 6.4.2, the polygon clipper stardist's NMS uses: the STARDIST / CPP-Net overlap areas (issue #16).
  libpolyclipping-dev
  # Packaging, fuzzing and cohort runs (issue #7).
  dpkg-dev lintian desktop-file-utils clang libclang-rt-14-dev snakemake python3-matplotlib
  # Reference computations for benchmarks (PyTorch eager, post-processing in Python).
  python3-torch python3-numpy python3-scipy python3-skimage python3-opencv umap-learn
  gdal-bin python3-shapely # external readers of the GeoJSON export (tests/export)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
