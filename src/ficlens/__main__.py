"""``python -m ficlens`` runs the command line."""

from ficlens.cli import app

app(prog_name="ficlens")
