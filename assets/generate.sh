#!/usr/bin/env bash
# Regenerates every derived icon file in assets/ from the hand-written SVG
# sources in assets/src/. Run it after editing an SVG and commit the results
# (they are embedded in the binaries by assets.go). Not run in CI.
#
#   assets/png/tray[-attention|-offline]-{16,22,24,32,48,64}.png
#   assets/png/app-{16,24,32,48,64,128,256,512,1024}.png
#   assets/Icon.png      512 px app icon (FyneApp.toml points here)
#   assets/app.ico       16, 24, 32, 48, 64, 256
#   assets/tray.ico      16, 24, 32, 48 (normal variant)
#   assets/tray-attention.ico, assets/tray-offline.ico   same sizes
#   assets/app.icns      macOS, only when png2icns (icnsutils) is installed
#   assets/preview.png   contact sheet for reviewers (tray icons at 16/22/24
#                        px, 4x nearest-neighbour, on a light and a dark panel,
#                        plus the app icon)
#
# Needs: rsvg-convert (librsvg2-bin), convert (imagemagick);
# optional: png2icns (icnsutils).
# Works from any directory and is idempotent: output bytes depend only on
# the sources and the tool versions.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

need() {
	if ! command -v "$1" >/dev/null 2>&1; then
		echo "generate.sh: '$1' not found; install it with: apt-get install $2" >&2
		exit 1
	fi
}
need rsvg-convert librsvg2-bin
# ImageMagick 7 calls it magick (its convert is deprecated); 6 has convert.
if command -v magick >/dev/null 2>&1; then
	convert() { magick "$@"; }
else
	need convert imagemagick
fi

# Keep these lists in sync with assets.go.
tray_variants=(tray tray-attention tray-offline)
tray_sizes=(16 22 24 32 48 64)
app_sizes=(16 24 32 48 64 128 256 512 1024)
app_ico_sizes=(16 24 32 48 64 256)
tray_ico_sizes=(16 24 32 48)

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Write PNGs without timestamps, comments or colour profiles so that
# regenerating unchanged sources gives byte-identical files.
png_opts=(-strip -define png:exclude-chunks=date,time,tEXt,zTXt,iTXt
	-define png:compression-level=9)

# render SRC PX OUT: rasterise an SVG to a PX x PX optimised RGBA PNG.
render() {
	local src=$1 px=$2 out=$3
	rsvg-convert --width="$px" --height="$px" --keep-aspect-ratio \
		--output="$tmp/raw.png" "$src"
	convert "$tmp/raw.png" "${png_opts[@]}" "PNG32:$out"
}

mkdir -p png
rm -f png/*.png

for v in "${tray_variants[@]}"; do
	for px in "${tray_sizes[@]}"; do
		render "src/$v.svg" "$px" "png/$v-$px.png"
	done
done

for px in "${app_sizes[@]}"; do
	render src/app.svg "$px" "png/app-$px.png"
done

cp png/app-512.png Icon.png

# ICO: ImageMagick stores the 256 px entry PNG-compressed, smaller ones as BMP.
ico() {
	local out=$1 prefix=$2
	shift 2
	local files=()
	for px in "$@"; do files+=("png/$prefix-$px.png"); done
	convert "${files[@]}" "$out"
}
ico app.ico app "${app_ico_sizes[@]}"
for v in "${tray_variants[@]}"; do
	ico "$v.ico" "$v" "${tray_ico_sizes[@]}"
done

if command -v png2icns >/dev/null 2>&1; then
	png2icns app.icns png/app-16.png png/app-32.png png/app-48.png \
		png/app-128.png png/app-256.png png/app-512.png >/dev/null
else
	echo "generate.sh: png2icns not found (apt-get install icnsutils); app.icns left as is" >&2
fi

# Contact sheet: every tray variant at 16, 22 and 24 px scaled 4x with
# nearest-neighbour, on a light (#f0f0f0) and a dark (#2b2b2b) panel, then the
# app icon at 16 and 32 px (4x) and at 64 px and 256 px (1x).
sheet_panel() {
	local bg=$1 out=$2 rows=()
	local v px cells
	for v in "${tray_variants[@]}"; do
		cells=()
		for px in 16 22 24; do
			convert -background "$bg" "png/$v-$px.png" -flatten -filter point \
				-resize 400% -gravity center -extent 112x112 "$tmp/cell-$v-$px.png"
			cells+=("$tmp/cell-$v-$px.png")
		done
		convert "${cells[@]}" +append "$tmp/row-$v.png"
		rows+=("$tmp/row-$v.png")
	done
	convert "${rows[@]}" -append -bordercolor "$bg" -border 8 "$out"
}
sheet_panel '#f0f0f0' "$tmp/light.png"
sheet_panel '#2b2b2b' "$tmp/dark.png"

app_cells=()
for px in 16 32; do
	convert -background '#f0f0f0' "png/app-$px.png" -flatten -filter point \
		-resize 400% -gravity center -extent 144x272 "$tmp/app-$px.png"
	app_cells+=("$tmp/app-$px.png")
done
convert -background '#f0f0f0' png/app-64.png -flatten -gravity center \
	-extent 96x272 "$tmp/app-64.png"
convert -background '#2b2b2b' png/app-256.png -flatten -gravity center \
	-extent 272x272 "$tmp/app-256.png"
app_cells+=("$tmp/app-64.png" "$tmp/app-256.png")
convert "${app_cells[@]}" +append "$tmp/app-row.png"

convert "$tmp/light.png" "$tmp/dark.png" +append "$tmp/trays.png"
convert -background '#ffffff' "$tmp/trays.png" "$tmp/app-row.png" \
	-gravity west -append +repage -colors 256 "${png_opts[@]}" preview.png

echo "generate.sh: icons written to $here"
