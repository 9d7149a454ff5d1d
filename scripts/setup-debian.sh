#!/usr/bin/env bash
# Install the Debian packages factions' browser tests need: headless Chromium (driven by the
# Playwright python package through executable_path=/usr/bin/chromium) and its fonts.
# Idempotent: packages already installed are left alone and apt is not asked again.
# No downloaded browser builds: never run `playwright install`.
set -euo pipefail

PACKAGES=(chromium fonts-dejavu-core)

missing=()
for pkg in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done

if [ "${#missing[@]}" -eq 0 ]; then
    echo "setup-debian: all packages present (${PACKAGES[*]})"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

echo "setup-debian: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
/usr/bin/chromium --version
