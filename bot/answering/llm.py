"""The LLM answerer: LangChain's ``init_chat_model`` behind checks that keep it honest.

The passages are numbered and fenced as data in the prompt; the reply is checked sentence by
sentence (``bot.answering.checking``). When the model is unreachable, slow, fails or answers garbage, the
extractive answer is returned with a one-line notice instead: the user always gets an answer.
Passages that are not about the question at all (the extractive answerer's coverage and names
checks) get the abstention before the model is asked: handed articles about other news, a model
answers from them, and each sentence it copies from them checks out.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import prompts
from bot.answer import NOT_COVERED, Answerer, Draft, History, TokenSink
from bot.answering.checking import check
from bot.answering.extractive import OFF_SUBJECT, Vetted
from bot.answering.question import Question
from bot.answering.sentences import Embed
from bot.citations import markers
from bot.settings import ChatModelSettings
from retrieval.errors import ConfigError
from retrieval.models import Passage

log = logging.getLogger("newsbot.llm")
PASSAGE_CHARS = 1500  # of each passage in the prompt
# Passages the model reads (the best first): five of 1,500 characters fit a small local model's
# context (Ollama's default is a few thousand tokens) beside the instructions. The extractive
# answerer, with no such limit, reads every passage found.
PROMPT_PASSAGES = 5
ERROR_CHARS = 120  # of an exception message in a fallback notice
Vet = Callable[[Question, list[Passage]], Vetted]
Names = Callable[[Question, list[Passage]], bool]  # do these passages name what the question is about?


def build_chat_model(settings: ChatModelSettings) -> Any:
    """A LangChain chat model from the settings (``provider:model``, or a base URL)."""
    from langchain.chat_models import init_chat_model

    spec = settings.model.strip()
    base_url = settings.base_url
    if spec.startswith(("http://", "https://")):  # "http://host:port/v1#model"
        base_url, _, model = spec.partition("#")
        spec = f"openai:{model or 'default'}"
    provider, sep, model = spec.partition(":")
    if not sep or not model:
        raise ConfigError(f"NEWSBOT_LLM={spec!r} is not a model string: use e.g. ollama:llama3.2 or openai:gpt-4o-mini")
    kwargs: dict[str, Any] = {"timeout": settings.timeout, "max_retries": 0}
    if provider == "openai":
        key = settings.api_key.get_secret_value() if settings.api_key else None
        if base_url:
            kwargs["base_url"] = base_url
            kwargs["api_key"] = key or "not-needed"
        elif key:
            kwargs["api_key"] = key
    elif provider == "ollama":
        kwargs = {"base_url": base_url} if base_url else {}
        kwargs["client_kwargs"] = {"timeout": settings.timeout}
    try:
        return init_chat_model(model, model_provider=provider, **kwargs)
    except Exception as exc:  # missing integration package, missing key ...
        first = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise ConfigError(f"cannot set up the LLM {spec!r}: {first}") from None


_FENCE_TAG = re.compile(rf"<(?=\s*/?\s*(?:{'|'.join(prompts.FENCE_TAGS)})\b)", re.IGNORECASE)


def fence(text: str) -> str:
    """Text (an article's, or a conversation's) that cannot close its fence or open a new one,
    however the tag is cased or spaced (``</Passage >``, ``< /passage``)."""
    return _FENCE_TAG.sub("‹", text)


class LLMAnswerer:
    """Answers with a chat model; falls back to ``fallback`` on any model trouble."""

    streams = True

    def __init__(self, settings: ChatModelSettings, fallback: Answerer, embed: Embed, supports: float,
                 model: Any | None = None, vet: Vet | None = None, names: Names | None = None) -> None:
        """``embed`` and ``supports`` check the model's claims against the passages it cites
        (the embedding model and the cosine that means "supports" for it); ``vet`` says, before
        the model is asked, whether the passages are about the question (the abstention when they
        are not, the notice its answer carries when they may not be); ``names``, after it answers,
        whether the articles it cites name what the question is about (the notice when not, as an
        extractive answer from such an article is hedged)."""
        self.settings = settings
        self.fallback = fallback
        self.vet = vet
        self.names = names
        self.embed = embed
        self.supports = supports
        self.model = model or build_chat_model(settings)
        self.name = f"llm:{settings.model}"

    def messages(self, question: str, passages: list[Passage]) -> list[tuple[str, str]]:
        items = [
            {"n": n, "title": fence(p.title).replace('"', "'"), "outlet": fence(p.outlet).replace('"', "'"),
             "published": p.published, "text": fence(" ".join(p.text.split())[:PASSAGE_CHARS])}
            for n, p in enumerate(passages, start=1)
        ]
        return [
            ("system", prompts.render("answer_system", not_covered=NOT_COVERED)),
            ("user", prompts.render("answer_user", passages=items, question=question)),
        ]

    def answer(self, question: Question, passages: list[Passage], on_token: TokenSink | None = None) -> Draft:
        """The model's answer, checked; tokens go to ``on_token`` as they arrive."""
        if not passages:
            return self.fallback.answer(question, passages)
        vetted = self.vet(question, passages) if self.vet else None
        if vetted is not None and vetted.refusal is not None:  # articles about other news: a model
            return vetted.refusal  # handed them answers from them anyway
        doubt = vetted.doubt if vetted is not None else ""
        shown = passages[:PROMPT_PASSAGES]  # what the model may cite, and what its citations are checked against
        try:
            reply = self._generate(self.messages(question.text, shown), on_token)
        except Exception as exc:
            return self._fall_back(question, passages, f"the language model failed ({_short(exc)})")
        reply = reply.strip()
        if not reply:
            return self._fall_back(question, passages, "the language model gave an empty reply")
        if NOT_COVERED.lower().rstrip(".") in reply.lower():
            draft = self.fallback.answer(question, passages)
            if draft.abstained:
                return replace(draft, answerer=self.name)
            return replace(draft, notice="The language model found no answer; these are the closest sentences.")
        if not markers(reply):
            return self._fall_back(question, passages, "the language model's reply cited nothing")
        checked = check(reply, shown, self.embed, self.supports, self.settings.drop_unsupported)
        if not checked.supported:
            return self._fall_back(question, passages, "no sentence of the language model's reply was supported")
        cited = {c.article_id for c in checked.citations}
        if not doubt and self.names is not None and not self.names(question, [p for p in shown if p.article_id in cited]):
            doubt = OFF_SUBJECT
        unsupported = f"{checked.unsupported} sentence(s) not supported by the cited passage." if checked.unsupported else ""
        notice = "; ".join(n for n in (doubt, unsupported) if n)
        return Draft(text=checked.text, citations=checked.citations, abstained=False, answerer=self.name,
                     notice=notice, support=checked.supported / (checked.supported + checked.unsupported),
                     covered=vetted.covered if vetted is not None else None)

    def _generate(self, messages: list[tuple[str, str]], on_token: TokenSink | None) -> str:
        if on_token is None:
            return _content(self.model.invoke(messages))
        parts: list[str] = []
        for chunk in self.model.stream(messages):
            token = _content(chunk)
            if token:
                parts.append(token)
                on_token(token)
        return "".join(parts)

    def _fall_back(self, question: Question, passages: list[Passage], why: str) -> Draft:
        key = self.settings.api_key.get_secret_value() if self.settings.api_key else ""
        if key:  # the key where it stands alone, not inside a word ("x" is no reason to mangle "Expecting")
            why = re.sub(rf"(?<![A-Za-z0-9]){re.escape(key)}(?![A-Za-z0-9])", "***", why)
        log.info("LLM fallback: %s", why)  # the user sees it once, as the answer's note
        return replace(self.fallback.answer(question, passages), notice=f"Note: {why}; this answer is extractive.")

    def rewrite(self, history: History, question: str) -> str | None:
        """A standalone version of a follow-up question (used by ``Conversation``)."""
        fenced = [(fence(q), fence(a)) for q, a in history]  # earlier answers quote articles: data too
        prompt = prompts.render("condense", history=fenced, question=fence(question))
        text = _content(self.model.invoke([("user", prompt)])).strip().strip('"')
        return text.splitlines()[0] if text else question


def _content(message: Any) -> str:
    content = getattr(message, "content", message)
    if isinstance(content, list):
        return "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)
    return str(content or "")


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0][:ERROR_CHARS] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
