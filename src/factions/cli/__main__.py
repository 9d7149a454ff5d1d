"""``python -m factions.cli``: the same as the ``factions`` command."""

from factions.cli import main

main()
