"""The interactive chat loop of ``newsbot chat``: one conversation over the engine."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from rich.console import Console
from rich.markup import escape

from bot.engine import Answer, Conversation, Engine, Filters, NewsbotError
from bot.frontends.terminal import (
    print_answer,
    print_digest,
    print_quotes,
    print_timeline,
    ranked_by,
    span_note,
)

HELP = ("Ask a question. /why shows how the last question was read and searched, /timeline TOPIC lists "
        "a story's events, /digest [SINCE] the top stories (since yesterday), /quotes PERSON [since WHEN] what "
        "someone said, /new starts over, "
        "Ctrl-C cancels an answer, /quit or Ctrl-D leaves.")


class ChatSession:
    """Reads questions, answers them with the conversation so far, and handles slash commands."""

    def __init__(self, engine: Engine, filters: Filters | None, console: Console, err: Console,
                 verbose: bool = False, as_of: date | None = None) -> None:
        self.engine = engine
        self.filters = filters
        self.console = console
        self.err = err
        self.verbose = verbose
        self.as_of = as_of
        self.conversation = Conversation()
        self.last: Answer | None = None
        # What the spinner says while a question is answered: with a language model most of the
        # wait is the model's, and the user should know how long it may take.
        self.waiting = "searching…"
        if engine.streams:
            self.waiting = (f"searching, then waiting for the language model "
                            f"(up to {engine.settings.chat_model.timeout:g} s)…")

    def loop(self, read: Callable[[str], str] = input) -> None:
        self.console.print(f"[dim]{HELP}[/dim]")
        while True:
            try:
                line = read("you> ")
            except EOFError:
                self.console.print()
                return
            except KeyboardInterrupt:  # Ctrl-C at the prompt clears the line, like a shell
                self.console.print()
                continue
            if not self.handle(line):
                return

    def handle(self, line: str) -> bool:
        """Process one line; False means quit."""
        text = line.strip()
        if not text:
            return True
        if text in ("/quit", "/exit", "/q"):
            return False
        if text == "/help":
            self.console.print(HELP)
        elif text == "/new":
            self.conversation = Conversation()
            self.console.print("[dim]new conversation[/dim]")
        elif text == "/why":
            if self.last is None:
                self.console.print("[dim]nothing asked yet[/dim]")
            else:
                if self.last.follow_up:
                    self.console.print(f"read as a follow-up ({escape(self.last.follow_up)}), "
                                       f"searched for: {escape(self.last.standalone_question)}")
                else:
                    self.console.print(f"searched as asked: {escape(self.last.standalone_question)}")
                self.console.print(f"as of: {self.last.as_of}")
                if self.last.ranked_by:
                    self.console.print(f"first article ranked by: {escape(ranked_by(self.last))}")
                if self.last.dates:
                    self.console.print(f"dates: {escape(self.last.dates)} (articles from then are preferred)")
                if self.last.covered is not None:
                    withheld = self.last.covered < self.engine.settings.cover_threshold
                    self.console.print(f"confidence {self.last.support:.2f}; about the question {self.last.covered:.2f}"
                                       + (" (too little: the articles found are not about it)" if withheld else "")
                                       + escape(span_note(self.last)))
        elif text.startswith("/timeline"):
            topic = text.removeprefix("/timeline").strip()
            if not topic:
                self.console.print('[dim]give a topic: /timeline Blinken Lavrov talks[/dim]')
                return True
            self._show(lambda: print_timeline(self.console, self.engine.timeline(topic, as_of=self.as_of,
                                                                                   filters=self.filters)))
        elif text == "/digest" or text.startswith("/digest "):
            since = text.removeprefix("/digest").strip() or None
            self._show(lambda: print_digest(self.console, self.engine.digest(
                self.engine.since(since, self.as_of), self.as_of)))
        elif text == "/quotes" or text.startswith("/quotes "):
            person, _, since = text.removeprefix("/quotes").strip().partition(" since ")
            if not person:
                self.console.print('[dim]give a person: /quotes Lavrov, or /quotes Lavrov since last week[/dim]')
                return True
            self._show(lambda: print_quotes(self.console, self.engine.quotes(
                person, self.engine.since(since.strip() or None, self.as_of), self.as_of)))
        elif text.startswith("/"):
            self.console.print(f"unknown command {escape(text)}; {HELP}")
        else:
            try:
                with self.err.status(self.waiting):
                    self.last = self.engine.ask(text, conversation=self.conversation, filters=self.filters,
                                                as_of=self.as_of)
                print_answer(self.console, self.last, self.verbose)
            except NewsbotError as exc:
                self.err.print(f"[red]error:[/red] {escape(str(exc))}")
            except KeyboardInterrupt:  # cancels this answer only; the conversation goes on
                self.err.print("[dim]cancelled[/dim]")
        return True

    def _show(self, show: Callable[[], None]) -> None:
        """Run a slash command's output; a mistake is one line and the chat goes on."""
        try:
            show()
        except NewsbotError as exc:
            self.err.print(f"[red]error:[/red] {escape(str(exc))}")
