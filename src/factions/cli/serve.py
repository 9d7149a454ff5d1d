"""``factions serve``: the local web app over a store."""

from __future__ import annotations

from pathlib import Path

import click

from factions.cli.app import db_option, fail, main
from factions.errors import FactionsError


@main.command("serve")
@db_option()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind. Anything but loopback needs --token.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port.")
@click.option("--token", default=None, envvar="FACTIONS_TOKEN", show_envvar=True,
              help="Access token every /api request must carry (header or cookie; open /?token=TOKEN).")
@click.option("--allow-upload", is_flag=True,
              help="Let the page code pasted or uploaded text into the store (read-only otherwise).")
@click.option("--max-upload-mb", default=5.0, show_default=True, type=click.FloatRange(0.01, 1024),
              help="Largest upload (all files and pasted text of one request).")
def serve(db: str, host: str, port: int, token: str | None, allow_upload: bool, max_upload_mb: float) -> None:
    """Explore the events, actors and signed network of a store in the browser.

    Serves the page and its JSON API (documented at /docs) on http://HOST:PORT/. The server
    opens the store read-only per request, so it keeps answering while `factions code` writes
    to the same file from another process.

    \b
    Example:
        factions serve --db factions.duckdb --port 8000
        FACTIONS_TOKEN=s3cret factions serve --db factions.duckdb --host 0.0.0.0 --allow-upload
    """
    import uvicorn  # noqa: PLC0415 - only this command needs the server

    from factions.web.app import LOOPBACK_HOSTS, check_bind, create_app, is_loopback  # noqa: PLC0415

    try:
        check_bind(host, token)
        if not Path(db).exists():
            raise FactionsError("E305", path=db)
    except FactionsError as exc:
        fail(exc)
    app = create_app(db, token=token, allow_upload=allow_upload,
                     max_upload_bytes=int(max_upload_mb * 1024 * 1024),
                     allowed_hosts=LOOPBACK_HOSTS if is_loopback(host) else None)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"factions: serving {db} on http://{shown}:{port}/ "
               f"({'upload enabled' if allow_upload else 'read-only'}; API docs at /docs)", err=True)
    if token:
        click.echo(f"factions: open http://{shown}:{port}/?token=<your token> to sign the browser in", err=True)
    # Keep idle connections longer than uvicorn's 5 s, so a busy page reusing one does not race its close.
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_keep_alive=75)
