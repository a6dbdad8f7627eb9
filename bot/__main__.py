"""``python -m bot``: the ``newsbot`` command without its console script."""

from bot.frontends.cli import run

run()
