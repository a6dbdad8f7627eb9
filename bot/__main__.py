"""``python -m bot``: the ``newsbot`` command without its console script."""

from bot.cli import run

run()
