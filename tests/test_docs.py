"""Documentation that must not fall behind the code (after datasette's tests/test_docs.py).

Fails when a command, a command option, a data file or an error code is undocumented.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from factions.cli import main
from factions.errors import E

ROOT = Path(__file__).resolve().parents[1]
CLI_DOC = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")
DATA = ROOT / "src" / "factions" / "data"


def _section(name: str) -> str:
    m = re.search(rf"^## factions {re.escape(name)}\n(.*?)(?=^## |\Z)", CLI_DOC, re.S | re.M)
    return m.group(1) if m else ""


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_is_documented(name):
    assert _section(name), f"docs/cli.md has no section for 'factions {name}' (run scripts/cli_docs.py)"
    assert f"factions {name}" in README, f"README does not mention 'factions {name}'"


@pytest.mark.parametrize("name,option", [(n, o) for n, c in sorted(main.commands.items())
                                         for p in c.params for o in p.opts if o.startswith("--")])
def test_every_option_is_documented(name, option):
    assert option in _section(name), f"'factions {name} {option}' is not in docs/cli.md (run scripts/cli_docs.py)"


def test_every_command_help_has_an_example():
    for name, cmd in main.commands.items():
        assert "Example" in (cmd.help or ""), f"'factions {name}' help has no example"


@pytest.mark.parametrize("path", sorted(p.name for p in DATA.iterdir() if p.suffix in (".yaml", ".csv")))
def test_every_data_file_is_documented(path):
    assert path in (DATA / "README.md").read_text(encoding="utf-8"), f"data/{path} is not described in data/README.md"


def test_every_error_code_is_unique_and_listed():
    codes = [k for k in vars(E) if re.fullmatch(r"E\d{3}", k)]
    messages = [getattr(E, k) for k in codes]
    assert len(set(messages)) == len(messages), "two error codes carry the same message"
    doc = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    for code in codes:
        assert code in doc, f"{code} is not listed in docs/errors.md"
