#!/usr/bin/env bash
# Reproduce the vendored npm packages from the npm registry (maintainer tool;
# `make` never runs it, the vendored files are committed):
#
#   static/vendor/       served to the app's users (PACKAGES)
#   tests/e2e/vendor/    used only by the browser tests (TEST_PACKAGES)
#
#   scripts/vendor_assets.sh           re-vendor both directories
#   scripts/vendor_assets.sh --check   re-download and verify that the
#                                      committed files are byte-identical
#
# Needs: npm (only to fetch tarballs and metadata), tar, openssl, base64.
# Every tarball is checked against the registry's dist.integrity AND against
# the integrity pinned below, so a re-vendor cannot silently change bytes.
set -euo pipefail
cd "$(dirname "$0")/.."

# name|version|pinned sha512 integrity|licence|dest dir|files (src:dst, comma separated; src relative
# to package/, or @repo/<path> for a file of this repository: a licence the tarball lacks, see
# scripts/vendor_licences/README.md)
PACKAGES=(
  "leaflet|1.9.4|sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA==|BSD-2-Clause|leaflet|dist/leaflet.js:leaflet.js,dist/leaflet.css:leaflet.css,dist/images:images,LICENSE:LICENSE"
  # Fonts for every page and print (Vietnamese in Noto Sans, Chinese in Noto Sans SC): TTF, so
  # both the browser (@font-face) and matplotlib (PNG/PDF export) use the same files.
  "@expo-google-fonts/noto-sans|0.4.2|sha512-zYD8G2ijWLxqmquoQgghNh/x9p0yxWwArD0oxO1oXY1qx5vOd4t0Kbhnu/Cx8RTy08OgA8RtxuULZFaXwVPnPw==|OFL-1.1|fonts/noto-sans|400Regular/NotoSans_400Regular.ttf:NotoSans-Regular.ttf,700Bold/NotoSans_700Bold.ttf:NotoSans-Bold.ttf,LICENSE_FONT:OFL.txt,LICENSE:LICENSE"
  # Vector tiles (geo.tile_layer): Leaflet layer drawing PMTiles archives on canvas; the UMD
  # bundle includes pmtiles, @mapbox/vector-tile, @mapbox/point-geometry, rbush (BSD/ISC/MIT).
  "protomaps-leaflet|5.1.0|sha512-N0YY1Gbw5nZ9n8VUOvwHKm/w3zhTTuaZEeMZl8doHemeM4ujGPp2otI6t4Sgqrz8iM4svx2rpG1Q17rHkOWSaA==|BSD-3-Clause|protomaps-leaflet|dist/protomaps-leaflet.js:protomaps-leaflet.js,LICENSE:LICENSE"
  "@expo-google-fonts/noto-sans-sc|0.4.3|sha512-9rAwdFTFHbO/u6Cs0gj2jZbW74TGIiaFNQnXYH2s5wA1bzVkwbaviL4t8YUV642eGYjg86eH6DkAEQmfNHDncQ==|OFL-1.1|fonts/noto-sans-sc|400Regular/NotoSansSC_400Regular.ttf:NotoSansSC-Regular.ttf,700Bold/NotoSansSC_700Bold.ttf:NotoSansSC-Bold.ttf,LICENSE_FONT:OFL.txt,LICENSE:LICENSE"
  # Geodesic distance and area on WGS84 in the browser (the measuring tool, geo.measure_control):
  # Karney's algorithms, as pyproj.Geod on the server, so the map shows what geo.measure computes.
  "geographiclib-geodesic|2.2.0|sha512-cIedo9VTYb0DFufodgibDmVfsWe9EASqb/kUByl09xc6PZYvLvlc89BHCThtGTPf2OII/zWJGxsR3Uz6O7QOVw==|MIT|geographiclib-geodesic|geographiclib-geodesic.min.js:geographiclib-geodesic.min.js,LICENSE.txt:LICENSE"
  # Drawing and reshaping a feature's shape on the planners' edit map (geo.draw_map). The
  # tarball has no licence file: its MIT text comes from the repository's tag (@repo/ source).
  "leaflet-draw|1.0.4|sha512-rsQ6saQO5ST5Aj6XRFylr5zvarWgzWnrg46zQ1MEOEIHsppdC/8hnN8qMoFvACsPvTioAuysya/TVtog15tyAQ==|MIT|leaflet-draw|dist/leaflet.draw.js:leaflet.draw.js,dist/leaflet.draw.css:leaflet.draw.css,dist/images:images,@repo/scripts/vendor_licences/leaflet-draw-1.0.4-MIT-LICENSE.md:LICENSE"
)
# Same format; never served by the app (tests inject them into the page).
TEST_PACKAGES=(
  "axe-core|4.14.1|sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==|MPL-2.0|axe-core|axe.min.js:axe.min.js,LICENSE:LICENSE,LICENSE-3RD-PARTY.txt:LICENSE-3RD-PARTY.txt"
)

mode=write
case "${1:-}" in
  "") ;;
  --check) mode=check ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

command -v npm >/dev/null || { echo "error: npm is required" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# vendor_packages OUT SPEC...: fetch, verify and copy each SPEC into OUT;
# sets readme_rows to the README table rows.
vendor_packages() {
  local out=$1 spec name version pinned licence dest files pkgdir tgz actual
  local registry_integrity tarball_url pair src dst
  local -a pairs
  shift
  mkdir -p "$out"
  readme_rows=""
  for spec in "$@"; do
    IFS='|' read -r name version pinned licence dest files <<<"$spec"
    echo "==> $name@$version"
    registry_integrity=$(npm view "$name@$version" dist.integrity)
    tarball_url=$(npm view "$name@$version" dist.tarball)
    if [ "$registry_integrity" != "$pinned" ]; then
      echo "error: registry integrity for $name@$version is $registry_integrity, pinned $pinned" >&2
      exit 1
    fi
    pkgdir="$work/pkg-$name"
    mkdir -p "$pkgdir"
    (cd "$pkgdir" && npm pack --silent "$name@$version" >/dev/null)
    tgz=$(ls "$pkgdir"/*.tgz)
    actual="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
    if [ "$actual" != "$pinned" ]; then
      echo "error: tarball $tgz has integrity $actual, expected $pinned" >&2
      exit 1
    fi
    tar -xzf "$tgz" -C "$pkgdir"
    mkdir -p "$out/$dest"
    IFS=',' read -r -a pairs <<<"$files"
    for pair in "${pairs[@]}"; do
      src=${pair%%:*}
      dst=${pair#*:}
      case "$src" in
        @repo/*) cp "${src#@repo/}" "$out/$dest/$dst" ;;
        *) cp -R "$pkgdir/package/$src" "$out/$dest/$dst" ;;
      esac
    done
    # normalise permissions (npm tarballs vary)
    find "$out/$dest" -type d -exec chmod 755 {} + && find "$out/$dest" -type f -exec chmod 644 {} +
    readme_rows+="| \`$name\` | $version | [$tarball_url]($tarball_url) | \`$pinned\` | $licence | \`$dest/\` ($(echo "$files" | sed 's/:[^,]*//g; s/,/, /g')) |"$'\n'
  done
}

out="$work/vendor"
vendor_packages "$out" "${PACKAGES[@]}"

cat >"$out/README.md" <<MD
# Vendored front-end assets

Served by Streamlit (\`server.enableStaticServing = true\`) at
\`/app/static/vendor/<dir>/<file>\`, e.g. \`/app/static/vendor/leaflet/leaflet.js\`.
Nothing here is fetched from a CDN at run time, and nothing here is built:
the files are copied verbatim from the npm registry tarballs listed below.

Do not edit these files by hand. To change a version, edit \`PACKAGES\` in
\`scripts/vendor_assets.sh\` (including the new pinned integrity from
\`npm view <name>@<version> dist.integrity\`) and run it; run
\`scripts/vendor_assets.sh --check\` to verify the committed files.

| package | version | tarball | integrity (sha512 of the tarball) | licence | files (from \`package/\`) |
|---|---|---|---|---|---|
${readme_rows}
Each package's licence text is kept next to its files (\`<dir>/LICENSE\`; the fonts'
SIL Open Font License in \`fonts/<dir>/OFL.txt\`, the npm wrapper's MIT licence in \`LICENSE\`).
\`leaflet-draw\`'s tarball has no licence file: its \`LICENSE\` is the MIT text of its
repository at the tag of the version (\`scripts/vendor_licences/README.md\`).

## Using them from folium / streamlit-folium

\`st_folium\` draws the map in a component iframe served by the same Streamlit
server, so absolute paths work. folium's defaults load Leaflet, jQuery,
Bootstrap, Font Awesome and awesome-markers from CDNs; replace them:

\`\`\`python
fmap = folium.Map(location=..., tiles=None)
fmap.default_js = [("leaflet", "/app/static/vendor/leaflet/leaflet.js")]
fmap.default_css = [("leaflet_css", "/app/static/vendor/leaflet/leaflet.css")]
\`\`\`

Default-icon \`folium.Marker\`s: set \`L.Icon.Default.imagePath =
"/app/static/vendor/leaflet/images/"\` before adding them (see
\`LeafletImagePath\` in \`tests/e2e/fixture_app.py\`). streamlit-folium adds
leaflet.css without waiting for it to load, and Leaflet's fallback detection
then requests \`/app/static/vendor/leafletmarker-icon.png\` (404).
\`circleMarker\` / \`divIcon\` need no images.
MD

test_out="$work/test-vendor"
vendor_packages "$test_out" "${TEST_PACKAGES[@]}"

cat >"$test_out/README.md" <<MD
# Vendored test-only assets

Used only by the browser tests in \`tests/e2e/\` (read from disk and injected
into the page under test); never served by the app, never loaded at run time.
Nothing here is fetched at test time, and nothing here is built: the files are
copied verbatim from the npm registry tarballs listed below.

Do not edit these files by hand. To change a version, edit \`TEST_PACKAGES\` in
\`scripts/vendor_assets.sh\` (including the new pinned integrity from
\`npm view <name>@<version> dist.integrity\`) and run it; run
\`scripts/vendor_assets.sh --check\` to verify the committed files.

| package | version | tarball | integrity (sha512 of the tarball) | licence | files (from \`package/\`) |
|---|---|---|---|---|---|
${readme_rows}
Each package's licence texts are kept next to its files (\`<dir>/LICENSE*\`).
axe-core is MPL-2.0: its files are unmodified, and its source is the tarball above.
MD

# committed directory|freshly vendored directory
SETS=("static/vendor|$out" "tests/e2e/vendor|$test_out")

if [ "$mode" = check ]; then
  status=0
  for set in "${SETS[@]}"; do
    committed=${set%%|*}
    fresh=${set#*|}
    if diff -r "$fresh" "$committed"; then
      echo "OK: $committed matches the registry tarballs"
    else
      echo "error: $committed differs from what scripts/vendor_assets.sh produces" >&2
      status=1
    fi
  done
  exit "$status"
else
  for set in "${SETS[@]}"; do
    committed=${set%%|*}
    fresh=${set#*|}
    rm -rf "$committed"
    mkdir -p "$(dirname "$committed")"
    cp -R "$fresh" "$committed"
    echo "wrote $committed/"
    find "$committed" -type f | sort
  done
fi
