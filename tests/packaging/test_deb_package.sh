#!/usr/bin/env bash
# Builds the .deb from this build tree, unpacks it with dpkg -x into a temporary root and runs the installed
# cellvit-cli from there: --version, and segment on the installed sample slide. lintian must report no error.
set -euo pipefail
build=$1 workdir=$2 model=$3
rm -rf "$workdir" && mkdir -p "$workdir/root"
cpack --config "$build/CPackConfig.cmake" -B "$workdir" > "$workdir/cpack.log" 2>&1 || { cat "$workdir/cpack.log"; exit 1; }
deb=$(ls "$workdir"/cellvit-studio_*.deb)
echo "package: $(basename "$deb"), $(du -h "$deb" | cut -f1)"

depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for lib in libopenslide0 libtorch libopencv-core libqt6core6; do
  grep -q "$lib" <<< "$depends" || { echo "FAIL: Depends lacks $lib"; exit 1; }
done

dpkg-deb -x "$deb" "$workdir/root"
root=$workdir/root
for f in usr/bin/cellvit-cli usr/share/cellvit-studio/samples/cmu-1-small-region.svs usr/share/man/man1/cellvit-cli.1.gz \
         usr/share/doc/cellvit-studio/copyright; do
  [[ -e $root/$f ]] || { echo "FAIL: the package lacks /$f"; exit 1; }
done
if [[ -e $root/usr/bin/cellvit-studio ]]; then
  for f in usr/share/applications/org.cellvitstudio.Studio.desktop usr/share/metainfo/org.cellvitstudio.Studio.metainfo.xml \
           usr/share/mime/packages/org.cellvitstudio.Studio.xml usr/share/icons/hicolor/scalable/apps/org.cellvitstudio.Studio.svg \
           usr/share/icons/hicolor/48x48/apps/org.cellvitstudio.Studio.png; do
    [[ -e $root/$f ]] || { echo "FAIL: the package lacks /$f"; exit 1; }
  done
  if command -v desktop-file-validate > /dev/null; then
    desktop-file-validate "$root/usr/share/applications/org.cellvitstudio.Studio.desktop"
  fi
fi

# An installed program must not look into the build machine's checkout (issue #14).
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
if grep -q -a -F "$source_dir" "$root/usr/bin/cellvit-cli"; then
  echo "FAIL: the installed cellvit-cli holds the source tree's path $source_dir"; exit 1
fi
if CELLVIT_MODEL_DIR= "$root/usr/bin/cellvit-cli" models 2>&1 | grep -q -F "$source_dir/resources"; then
  echo "FAIL: the installed cellvit-cli models lists the source tree"; exit 1
fi

version=$("$root/usr/bin/cellvit-cli" --version)
grep -q "$(dpkg-deb -f "$deb" Version)" <<< "$version" || { echo "FAIL: --version says '$version'"; exit 1; }
echo "installed cellvit-cli --version: $version"

"$root/usr/bin/cellvit-cli" segment "$root/usr/share/cellvit-studio/samples/cmu-1-small-region.svs" --model "$model" \
  --region 500,500,400,400 --out "$workdir/segment" > "$workdir/segment.log" 2>&1 || { cat "$workdir/segment.log"; exit 1; }
for f in cells.geojson cells.json cell_detection.json; do
  [[ -s $workdir/segment/$f ]] || { echo "FAIL: segment from the package wrote no $f"; cat "$workdir/segment.log"; exit 1; }
done
echo "segment from the unpacked package: $(tail -n 3 "$workdir/segment.log" | tr '\n' ' ')"

if command -v lintian > /dev/null; then
  lintian --fail-on error "$deb" | tee "$workdir/lintian.log"
  echo "lintian: no errors"
else
  echo "FAIL: lintian is not installed (scripts/install-deps.sh)"; exit 1
fi
