#!/usr/bin/env bash
# Fetch the front-end libraries from the npm registry (versions pinned in package-lock.json) and
# copy their distributable files + LICENSE files into ../static/vendor/, which is committed and
# shipped in the Python package so the web app works with no network. node_modules is not kept.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --ignore-scripts
VENDOR=../static/vendor
rm -rf "$VENDOR"
mkdir -p "$VENDOR"/cytoscape "$VENDOR"/leaflet/images "$VENDOR"/topojson-client "$VENDOR"/world-atlas "$VENDOR"/swagger-ui
cp node_modules/cytoscape/dist/cytoscape.min.js node_modules/cytoscape/LICENSE "$VENDOR"/cytoscape/
cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css node_modules/leaflet/LICENSE "$VENDOR"/leaflet/
cp node_modules/leaflet/dist/images/*.png "$VENDOR"/leaflet/images/
cp node_modules/topojson-client/dist/topojson-client.min.js node_modules/topojson-client/LICENSE "$VENDOR"/topojson-client/
cp node_modules/world-atlas/countries-110m.json node_modules/world-atlas/LICENSE "$VENDOR"/world-atlas/
# swagger-ui serves FastAPI's /docs page offline.
cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css \
   node_modules/swagger-ui-dist/LICENSE node_modules/swagger-ui-dist/NOTICE "$VENDOR"/swagger-ui/
for pkg in cytoscape leaflet topojson-client world-atlas swagger-ui-dist; do
    node -e "const p=require('./node_modules/$pkg/package.json');console.log(p.name+'@'+p.version+' '+p.license)"
done > "$VENDOR"/VERSIONS.txt
echo "vendored into $(cd "$VENDOR" && pwd):"
cat "$VENDOR"/VERSIONS.txt
