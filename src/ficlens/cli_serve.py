"""``ficlens serve``: the local web UI over a library (search, fic reports, stats).

The socket is bound here, before uvicorn starts, so that a port in use or a bad host is
one line and exit 2 like every other ficlens error, and ``--port 0`` can print the port
the system chose. Starlette and uvicorn are imported inside the command.
"""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from ficlens.cli_common import err, fail
from ficlens.errors import FicError

DEFAULT_DB = Path("ficlens.duckdb")
LOOPBACK_NAMES = ("localhost",)


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and 'localhost' (what only this machine can reach)."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening-ready TCP socket on host:port, or a one-line error (exit 2)."""
    try:
        infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        fail(f"cannot listen on {host}:{port} ({exc.strerror or exc})")
    family, kind, proto, _name, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as exc:
        sock.close()
        fail(f"cannot listen on {host}:{port} ({exc.strerror or exc})")
    sock.set_inheritable(True)
    return sock


def serve(
    db: Annotated[
        Path, typer.Option("--db", help="The library file (DuckDB).", show_default=True)
    ] = DEFAULT_DB,
    host: Annotated[
        str,
        typer.Option(
            help="Address to listen on. Anything but a loopback address exposes the "
            "library to your network."
        ),
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option(help="Port to listen on (0: any free port).", min=0, max=65535)
    ] = 8000,
) -> None:
    """Browse the library in a web browser: search, each fic's report, corpus stats."""
    import uvicorn

    from ficlens.web import check_library, create_app

    try:
        count = check_library(db)
    except FicError as exc:
        fail(str(exc))
    allowed: list[str] | None = None
    if not is_loopback(host):
        allowed = ["*"]  # reached by whatever name the network uses for this machine
        err.print(
            f"[yellow]warning:[/] listening on {escape(host)}: anyone who can reach this "
            "machine can read the library (use the default 127.0.0.1 to keep it local)"
        )
    sock = bind(host, port)
    actual = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    err.print(
        f"serving {escape(str(db))} ({count} fic{'s' if count != 1 else ''}) at "
        f"http://{escape(shown)}:{actual}/ (Ctrl+C to stop)",
        soft_wrap=True,
    )
    config = uvicorn.Config(
        create_app(db, allowed_hosts=allowed),
        host=host,
        port=actual,
        log_level="warning",
        access_log=False,
        server_header=False,
        proxy_headers=False,
        lifespan="off",
    )
    uvicorn.Server(config).run(sockets=[sock])
