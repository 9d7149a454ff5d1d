"""Command-line interface. Importing this package registers every command on :data:`main`."""

from factions.cli.app import main

# Command modules register themselves on `main` when imported.

__all__ = ["main"]
