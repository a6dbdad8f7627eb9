"""One settings object for the whole product, and the only place a default is written.

Values come from ``NEWSBOT_*`` environment variables, then an optional TOML file
(``NEWSBOT_CONFIG`` or ``<home>/config.toml``), and CLI flags override both. ``<home>`` is the
flag's home when given, else ``NEWSBOT_HOME``, so ``--home X`` and ``NEWSBOT_HOME=X`` behave the
same. Settings are read when ``Settings()`` is built, never at import, so tests can point
``NEWSBOT_HOME`` anywhere.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, get_args

import platformdirs
from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from retrieval.errors import ConfigError
from retrieval.sources.networks import parse_networks

if TYPE_CHECKING:  # each group's type lives with the component it configures
    from bot.answering.extractive import AnswerConfig
    from retrieval.index.ingest import IndexConfig
    from retrieval.search import SearchConfig
    from retrieval.sources.fetch import FetchPolicy


def _default_home() -> Path:
    return Path(platformdirs.user_data_dir("newsbot", appauthor=False))


def _config_file(home: Any = None) -> Path:
    """``NEWSBOT_CONFIG``, else ``config.toml`` in the home given as a flag, in the environment, or by default."""
    explicit = os.environ.get("NEWSBOT_CONFIG")
    if explicit:
        return Path(explicit)
    home = home or os.environ.get("NEWSBOT_HOME")
    return (Path(home) if home else _default_home()) / "config.toml"


class Settings(BaseSettings):
    """Everything configurable, each field described."""

    model_config = SettingsConfigDict(env_prefix="NEWSBOT_", extra="ignore", populate_by_name=True)

    home: Path = Field(
        default_factory=_default_home,
        description="Folder that holds everything newsbot writes (the Chroma store, caches).",
    )
    chroma_url: str | None = Field(
        default=None,
        description="Address of a Chroma server (http://host:port); unset means the embedded store.",
    )
    collection: str = Field(default="newsbot", description="Chroma collection holding the chunks.")
    feeds_file: str = Field(default="feeds.json", pattern=r"^[\w.-]+\.json$",
                            description="The feed subscriptions' file in the data folder (one per library).")
    embedding_model: Path | None = Field(
        default=None,
        description="Folder of a sentence-transformers model; unset means the bundled MiniLM.",
    )
    embedding_backend: Literal["onnx", "torch"] = Field(
        default="onnx",
        description="'onnx' (an export of the model run by onnxruntime, made once; no torch when answering) "
        "or 'torch' (sentence-transformers). Both give the same vectors at fp32.",
    )
    # int8 ingested full realtimeqa-dev in 289 s against 457 s at fp32, with hit@1, hit@10 and
    # answers each within two questions (docs/quality.md).
    embedding_precision: Literal["int8", "fp32"] = Field(
        default="int8",
        description="The ONNX graph's precision: 'int8' (weights quantised once from the fp32 export; about "
        "1.6x faster, vectors within cosine 0.98 of fp32's) or 'fp32'. The torch backend is always fp32.",
    )
    model_cache: Path | None = Field(
        default=None,
        description="Folder for the ONNX export of the embedding model (made once per model, keyed by its "
        "checksum); unset means <home>/cache. Several homes may share one.",
    )
    threads: int | None = Field(
        default=None, ge=1, description="CPU threads for embedding; unset means the cores this process may use."
    )
    llm: str = Field(
        default="extractive",
        description="'extractive' (no model) or a LangChain model string like 'ollama:llama3.2'.",
    )
    llm_base_url: str | None = Field(
        default=None, description="Base URL of an OpenAI-compatible server for the LLM answerer."
    )
    llm_api_key: SecretStr | None = Field(
        default=None, description="API key for the LLM server; never logged or shown."
    )
    llm_timeout: float = Field(default=60.0, description="Seconds before the LLM is given up on.")
    unsupported: Literal["mark", "drop"] | None = Field(
        default=None,
        description="What to do with an LLM sentence its citation does not support: mark or drop "
                    "(default: mark in a terminal, drop in Discord, where other people read it).",
    )
    top_k: int = Field(
        default=8, ge=1, le=50,
        description="Passages handed to the answerer (one per article first). 8 rather than 5: another "
        "article's passage often states what the first one does not; with the answer model trained on 8, "
        "held out on the training years +15 right answers of 1,295.",
    )
    exact_search: bool = Field(
        default=False,
        description="Compare a question with every stored vector instead of searching Chroma's graph (HNSW): "
        "slower on a large store, and the same neighbours on any machine (a graph built twice from the same "
        "articles differs). The training commands search this way.",
    )
    candidates: int = Field(
        default=100, ge=5, le=500, description="Candidates each retriever returns before fusion."
    )
    story_join: float = Field(
        default=0.46, gt=0.0, le=1.0,
        description="How close (the cosine of two articles' leads) a new article must come to a story to join "
        "it: lower makes fewer, broader stories and glues unrelated news sooner. Articles already placed keep "
        "their story. 0.46 from a sweep of 0.40-0.55 on a year of news (docs/quality.md).",
    )
    story_centre: float = Field(
        default=0.5, ge=-1.0, le=1.0,
        description="How close a new article's lead must also come to the mean lead of a story to join it: "
        "without it stories chain, each article close to one member and the story about nothing. -1 turns it "
        "off. 0.5 from a sweep on two years of news (docs/quality.md).",
    )
    # 850 characters without overlap, against 600 with one sentence: on full realtimeqa-dev the
    # same hit@10 (0.936 as of the question date, 0.851 vs 0.840 date-blind), 38% fewer chunks,
    # fewer tokens to embed; 850 keeps nearly every chunk under the model's 256 tokens.
    chunk_chars: int = Field(default=850, ge=100, description="Most characters per chunk (whole sentences).")
    chunk_overlap: int = Field(default=0, ge=0, description="Sentences shared by adjacent chunks.")
    # News puts what is asked into the lead. Chunks past the lead are embedded by their opening
    # sentence (the keyword index still holds all of them): on full realtimeqa-dev, 3400 embeds
    # under half the tokens and keeps hit@10 (0.936) and date-blind answer accuracy; see docs/quality.md.
    lead_chars: int = Field(
        default=3400, ge=0,
        description="Characters of each article embedded in full; chunks starting later are embedded by their "
        "opening sentence (0: embed every chunk in full).",
    )
    per_article: int = Field(default=1, ge=1, description="Most passages one article contributes.")
    dense_weight: float = Field(default=1.0, ge=0, description="Weight of the dense ranking in rank fusion.")
    lexical_weight: float = Field(default=1.5, ge=0, description="Weight of the BM25 ranking in rank fusion.")
    article_support: float = Field(
        default=0.3, ge=0, description="How much an article's 2nd and 3rd matching chunks lift its rank."
    )
    opening_chunks: int = Field(
        default=2, ge=0, le=10,
        description="Chunks from the start of the first article handed to the answerer beside the matching ones "
        "(0: only what matched). Chosen on the training years (see docs/quality.md).",
    )
    recency_weight: float = Field(
        default=1.0, ge=0,
        description="How much fresher articles are preferred (a fused score is multiplied by up to 1 + this); "
        "0 ranks by content alone. Tuned on realtimeqa-dev (see docs/quality.md).",
    )
    recency_half_life: float = Field(default=14.0, gt=0, description="Days until a recency lift has halved.")
    date_window_weight: float = Field(
        default=2.0, ge=0,
        description="How much articles inside a window the question names (\"this week\", \"in March 2022\") "
        "are preferred (score times 1 + this); 0 ignores such phrases. Tuned on realtimeqa-dev.",
    )
    old_news_days: int = Field(
        default=365, ge=0,
        description="When a question names no time and every report the answer cites is more than this many days "
        "older than the as-of day, the answer says so (the closest match may be old news); 0 never says it.",
    )
    ranking: Literal["learned", "fusion"] = Field(
        default="learned",
        description="How candidate articles are ordered: 'learned' (a linear model over each article's features, "
        "trained on three years of news questions by bench/train_ranking.py; see docs/quality.md) or 'fusion' "
        "(rank fusion with the recency prior and the window weight above, tuned on realtimeqa-dev alone).",
    )
    ranking_weights: Path | None = Field(
        default=None, description="The learned ranking's weights file (default: the one shipped in the package).",
    )
    ranking_answer_weight: float = Field(
        default=0.6, ge=0,
        description="How much the learned ranking's first four articles are re-ordered by how well each answers "
        "(the answer model's best sentence in it, log-odds) against the ranking's own score; 0 ranks by the "
        "articles' features alone. Chosen on the training years, each judged by an answer model trained on the "
        "other two.",
    )
    timeline_names: float = Field(
        default=0.5, ge=0, le=1,
        description="The share of a timeline topic's names (words the articles write with a capital: \"Maui\" in "
        "\"Maui wildfires\") an article must name to join the story; 0: closeness in meaning alone. Chosen on a "
        "training year's questions as topics (bench/timelines.py, see docs/quality.md).",
    )
    sentence_vectors: Literal["pooled", "separate", "none"] = Field(
        default="pooled",
        description="How each sentence's vector is stored at ingest, so answering embeds only the question: "
        "'pooled' (from the chunk's own forward pass: no extra ingest time, and better answers on "
        "realtimeqa-dev), 'separate' (each sentence embedded alone: +44% ingest time) or 'none' (embedded "
        "when answering).",
    )
    embed_title: bool = Field(default=True, description="Prefix each chunk with its title when embedding it.")
    embedding_cache: bool = Field(
        default=False,
        description="Keep every chunk's vectors in the cache folder, keyed by model and text, so text ingested "
        "again (another store, a repeated benchmark corpus, a sweep) is not embedded again.",
    )
    abstain_threshold: float = Field(
        default=0.15, ge=0, le=1,
        description="Below this confidence (the chance, calibrated on the training years, that the extractive "
        "answer is right) the answer is an abstention. Read before the answer's reports are weighed against a "
        "window the question names: when only older reports answer, the articles still say something close, so "
        "that answer is hedged, not withheld.",
    )
    cover_threshold: float = Field(
        default=0.08, ge=0, le=1,
        description="Below this chance (learned from questions asked of their own year's news and of another "
        "year's) that the articles found are about the question at all, the answer is an abstention, and an LLM "
        "is not asked: a small store asked about something it never reported answers from whatever is nearest "
        "otherwise. 0 never withholds for it.",
    )
    cover_hedge_threshold: float = Field(
        default=0.12, ge=0, le=1,
        description="Below this chance that the articles found are about the question (and above "
        "cover_threshold) the extractive answer is hedged: said as what the closest report says, not asserted.",
    )
    hedge_threshold: float = Field(
        default=0.35, ge=0, le=1,
        description="Below this confidence the extractive answer says what the closest report says and that it "
        "may not answer the question, instead of asserting it.",
    )
    # 0.3: the lowest chance at which the bolded spans are right more often than not on every kind of store
    # measured (a year of news, a folder of 40 articles, one question's pages, a single article; docs/quality.md
    # "The bold threshold, for trust"); raising it from 0.1 dropped two to five wrong bold spans for each right one.
    lead_threshold: float = Field(
        default=0.3, ge=0, le=1,
        description="The extractive answer leads with a span in bold only when its chance (calibrated on the "
        "training years) of holding the answer is at least this: a wrong bold answer misleads more than none. "
        "Higher bolds fewer spans, more of them right.",
    )
    answer_gap: float = Field(
        default=1.75, ge=0,
        description="Another sentence of the article joins an extractive answer when its score (log-odds of the "
        "answer model) is within this of the best.",
    )
    differ_margin: float = Field(
        default=0.5, ge=0,
        description="Another article's answer whose score (log-odds of the answer model) is within this of the "
        "lead's, and which names another answer, is shown beside it ('Reports differ'); 0 never shows one.",
    )
    differ_chance: float = Field(
        default=0.2, ge=0, le=1,
        description="'Reports differ' is said only when both reports' spans have at least this chance (the bold "
        "span's, calibrated on the training years) of holding the answer; a weaker pair quotes both reports and "
        "asserts neither. 0 says it for any pair of bolded spans.",
    )
    answer_weights: Path | None = Field(
        default=None, description="The learned answer model's weights file (default: the one shipped in the package).",
    )
    lead_weights: Path | None = Field(
        default=None, description="The learned model that chooses the answer's bold span (default: the one shipped "
        "in the package).",
    )
    max_sentences: int = Field(default=3, ge=1, le=10, description="Most sentences in an extractive answer.")
    entity_coverage: float = Field(
        default=0.5, ge=0, le=1, description="Share of the question's names the passages must mention, or abstain."
    )
    allow_networks: str = Field(
        default="",
        description="Comma-separated networks (CIDR) URL ingest may reach although not public, e.g. "
        "10.0.0.0/8 for an intranet; empty refuses every loopback, private and reserved address.",
    )
    max_source_mb: float = Field(
        default=10.0, gt=0,
        description="Largest page, feed, attachment or file read whole, in MB (JSONL is streamed, not limited).",
    )
    fetch_timeout: float = Field(default=30.0, gt=0, description="Seconds one whole download may take.")
    discord_token: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("DISCORD_TOKEN", "NEWSBOT_DISCORD_TOKEN", "discord_token"),
        description="Discord bot token; never logged or shown.",
    )
    discord_rate_limit: int = Field(
        default=5, ge=1, description="Questions one Discord user may ask per rate window."
    )
    discord_rate_window: float = Field(default=60.0, description="Rate-limit window in seconds.")
    discord_ingest_role: int | None = Field(
        default=None, description="Role id (besides Manage Server) allowed to use /ingest and change feeds; "
                                  "an id, not a name, because anyone who may manage roles can name a role.",
    )
    discord_watch_feeds: bool = Field(
        default=True, description="Poll the feed subscriptions in the background while the Discord bot runs."
    )
    discord_notice_channel: int | None = Field(
        default=None, description="Channel id where the bot posts a short notice for each new article from a feed "
        "(of the library of the server it is in; moderators can also pick one per server with /feeds notices)."
    )
    discord_digest_channel: int | None = Field(
        default=None, description="Channel id where the bot posts a daily digest of the stories since the day "
        "before (from the library of that channel's server); none is posted when nothing new was reported.",
    )
    discord_digest_hour: int = Field(
        default=8, ge=0, le=23, description="Hour of the day (UTC) at which the daily digest is posted.",
    )
    discord_libraries: Literal["per-server", "shared"] = Field(
        default="per-server", description="Each Discord server reads and writes only its own articles and feeds "
        "(per-server), or every server shares the main library (shared: what `newsbot ingest` fills).",
    )
    discord_main_server: int | None = Field(
        default=None, description="With per-server libraries, the server (id) whose library is the main one.",
    )
    discord_dm_library: str = Field(
        default="", pattern=r"^(|main|\d+)$", description="Which library direct messages read: empty refuses them "
        "politely, 'main' the main library, a server id that server's library.",
    )
    feed_check_seconds: float = Field(
        default=60.0, gt=0, description="How often the Discord bot and `newsbot watch` look for feeds that are due "
        "(and notice changed subscriptions)."
    )
    discord_conversation_ttl: float = Field(
        default=24 * 3600.0, gt=0, description="Seconds after its last question that a thread's context is forgotten."
    )
    discord_max_conversations: int = Field(
        default=1000, ge=1, description="Threads whose context is kept at once (the least recent go first)."
    )

    @field_validator("llm")
    @classmethod
    def _model_string(cls, value: str) -> str:
        spec = value.strip()
        if spec in ("", "extractive") or spec.startswith(("http://", "https://")):
            return spec
        provider, sep, model = spec.partition(":")
        if not (sep and provider and model):
            raise ValueError("use extractive or a model string such as ollama:llama3.2 or openai:gpt-4o-mini")
        return spec

    @field_validator("allow_networks")
    @classmethod
    def _networks(cls, value: str) -> str:
        parse_networks(value)  # a bad entry is named when the settings load
        return value

    # -- the groups handed to the components -----------------------------------------------
    @property
    def ingest(self) -> IndexConfig:
        """How articles are cut and embedded."""
        from retrieval.index.ingest import IndexConfig

        return IndexConfig(self.chunk_chars, self.chunk_overlap, self.embed_title, self.sentence_vectors,
                           self.lead_chars)

    @property
    def search(self) -> SearchConfig:
        """How passages are ranked."""
        from retrieval.search import SearchConfig

        return SearchConfig(
            candidates=self.candidates, dense_weight=self.dense_weight, lexical_weight=self.lexical_weight,
            per_article=self.per_article, article_support=self.article_support, recency_weight=self.recency_weight,
            recency_half_life=self.recency_half_life, window_weight=self.date_window_weight,
            opening_chunks=self.opening_chunks,
        )

    @property
    def answer(self) -> AnswerConfig:
        """How sure and how long an extractive answer is."""
        from bot.answering.extractive import AnswerConfig

        return AnswerConfig(threshold=self.abstain_threshold, max_sentences=self.max_sentences,
                            entity_coverage=self.entity_coverage, gap=self.answer_gap, hedge=self.hedge_threshold,
                            lead=self.lead_threshold, differ=self.differ_margin, cover=self.cover_threshold,
                            cover_hedge=self.cover_hedge_threshold, differ_chance=self.differ_chance)

    @property
    def fetch(self) -> FetchPolicy:
        """Where URL ingest may go and how much it downloads."""
        from retrieval.sources.fetch import FetchPolicy

        return FetchPolicy.parse(self.allow_networks, int(self.max_source_mb * 1_000_000), self.fetch_timeout)

    @property
    def chat_model(self) -> ChatModelSettings:
        """The LLM answerer's model, server and key."""
        return ChatModelSettings(self.llm, self.llm_base_url, self.llm_api_key, self.llm_timeout,
                                 self.unsupported == "drop")

    @property
    def discord(self) -> DiscordSettings:
        """The Discord bot's limits, roles, channels and feed watching."""
        return DiscordSettings(
            rate_limit=self.discord_rate_limit, rate_window=self.discord_rate_window,
            ingest_role=self.discord_ingest_role, watch_feeds=self.discord_watch_feeds,
            notice_channel=self.discord_notice_channel, feed_check_seconds=self.feed_check_seconds,
            conversation_ttl=self.discord_conversation_ttl, max_conversations=self.discord_max_conversations,
            max_source_mb=self.max_source_mb, libraries=self.discord_libraries,
            main_server=self.discord_main_server, dm_library=self.discord_dm_library,
            digest_channel=self.discord_digest_channel, digest_hour=self.discord_digest_hour,
        )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        given = getattr(init_settings, "init_kwargs", {})
        path = _config_file(given.get("home"))
        if path.is_file():
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        return tuple(sources)

    def with_overrides(self, **overrides: Any) -> Settings:
        """A validated copy with these values changed (None means 'not given')."""
        given = {k: v for k, v in overrides.items() if v is not None}
        if not given:
            return self
        try:
            return type(self).model_validate({**self.model_dump(), **given})
        except ValueError as exc:
            raise ConfigError(f"invalid setting: {_first_problem(exc)}") from None

    def embedded(self) -> Settings:
        """These settings on the embedded store in ``home``, whatever ``NEWSBOT_CHROMA_URL`` says:
        what the eval and the benchmarks measure."""
        return self.model_copy(update={"chroma_url": None})

    @property
    def store_path(self) -> Path:
        return self.home / "chroma"

    @property
    def cache_path(self) -> Path:
        return self.home / "cache"

    @property
    def model_cache_path(self) -> Path:
        return self.model_cache or self.cache_path


@dataclass(frozen=True)
class ChatModelSettings:
    model: str  # "extractive", or a LangChain model string such as "ollama:llama3.2"
    base_url: str | None
    api_key: SecretStr | None
    timeout: float
    drop_unsupported: bool  # an unsupported sentence is dropped (else marked)


@dataclass(frozen=True)
class DiscordSettings:
    rate_limit: int
    rate_window: float
    ingest_role: int | None
    watch_feeds: bool
    notice_channel: int | None
    feed_check_seconds: float
    conversation_ttl: float
    max_conversations: int
    max_source_mb: float
    libraries: str  # "per-server" or "shared"
    main_server: int | None
    dm_library: str  # "", "main" or a server id
    digest_channel: int | None = None
    digest_hour: int = 8  # UTC


def choices(field: str) -> tuple[str, ...]:
    """The values a choice setting allows (empty for a setting that is not a choice)."""
    annotation = Settings.model_fields[field].annotation
    return tuple(a for a in _literal_args(annotation) if isinstance(a, str))


def _literal_args(annotation: Any) -> tuple[Any, ...]:
    if getattr(annotation, "__origin__", None) is Literal:
        return get_args(annotation)
    return tuple(a for arg in get_args(annotation) for a in _literal_args(arg))


def load_settings(**overrides: Any) -> Settings:
    """Build settings from flags (``overrides``; None means 'not given'), environment and config file."""
    given = {k: v for k, v in overrides.items() if v is not None}
    try:
        return Settings(**given)
    except ValueError as exc:  # pydantic.ValidationError is a ValueError
        raise ConfigError(f"invalid setting: {_first_problem(exc)}") from None


def _first_problem(exc: ValueError) -> str:
    """One line naming the variable, what it holds and what it may hold."""
    errors = getattr(exc, "errors", None)
    if errors is None:
        return str(exc).splitlines()[0]
    first = errors()[0]
    field = str(first["loc"][0]) if first.get("loc") else ""
    name = "DISCORD_TOKEN" if field == "discord_token" else f"NEWSBOT_{field.upper()}"
    allowed = choices(field) if field in Settings.model_fields else ()
    if allowed:
        return f"{name} is {first.get('input')!r}: use one of {', '.join(allowed)}"
    message = str(first.get("msg", "")).removeprefix("Value error, ")
    return f"{name} is {first.get('input')!r}: {message[:1].lower()}{message[1:]}"
