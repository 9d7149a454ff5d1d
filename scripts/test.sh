#!/usr/bin/env bash
# Run factions' whole test suite on a fresh Debian machine with Python 3.11 and pip:
# installs the project with its test extras at the versions pinned in constraints.txt,
# Debian's headless Chromium for the browser tests (scripts/setup-debian.sh), then pytest. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[test]"
bash scripts/setup-debian.sh
python3 -m pytest "$@"
