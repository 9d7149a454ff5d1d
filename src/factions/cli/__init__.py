"""Command-line interface. Importing this package registers every command on :data:`main`."""

from factions.cli.app import main

# Command modules register themselves on `main` when imported.
from factions.cli import code as _code  # noqa: F401,E402
from factions.cli import export as _export  # noqa: F401,E402
from factions.cli import evaluate as _evaluate  # noqa: F401,E402
from factions.cli import serve as _serve  # noqa: F401,E402
from factions.cli import network as _network  # noqa: F401,E402
from factions.cli import check as _check  # noqa: F401,E402

__all__ = ["main"]
