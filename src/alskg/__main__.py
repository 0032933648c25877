"""``python -m alskg`` runs the command-line tool."""

from alskg.cli import main

main()
