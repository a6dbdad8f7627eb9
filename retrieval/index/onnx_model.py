"""The embedding model as an ONNX graph, run by onnxruntime: no torch at ask time.

Importing torch, transformers and sentence-transformers costs seconds in every fresh process;
onnxruntime and the Rust tokenizer load in a fraction of one. The graph is exported once from
the installed model folder (offline, with torch, by whichever process first needs it), kept in
the data folder beside a checksum, and exported again when the model folder changes. Only the
shape this module reproduces exactly is exported: a BERT-style transformer, mean pooling, L2
normalisation (all-MiniLM-L6-v2); any other model stays on sentence-transformers.

Two precisions: ``fp32`` gives sentence-transformers' vectors; ``int8`` quantises the weights of
the graph's matrix products to 8 bits per output channel (made once from the fp32 graph, by
onnxruntime's dynamic quantisation), which embeds about 1.6x faster on 2 cores for vectors within
a cosine of 0.98 of fp32's (0.994 on average over news chunks).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import warnings
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.locks import exclusive

log = logging.getLogger("newsbot.embeddings")
GRAPH = "model.onnx"
STAMP = "stamp.json"
PRECISIONS = ("int8", "fp32")
OPSET = 17
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
EXPECTED_MODULES = ["sentence_transformers.models.Transformer", "sentence_transformers.models.Pooling",
                    "sentence_transformers.models.Normalize"]


def supported(model_path: Path) -> bool:
    """Is the folder a transformer + mean pooling + normalisation model with a fast tokenizer?"""
    try:
        modules = json.loads((model_path / "modules.json").read_text())
        pooling = json.loads((model_path / "1_Pooling" / "config.json").read_text())
    except (OSError, ValueError):
        return False
    mean_only = pooling.get("pooling_mode_mean_tokens") and not any(
        v for k, v in pooling.items() if k.startswith("pooling_mode_") and k != "pooling_mode_mean_tokens")
    return [m.get("type") for m in modules] == EXPECTED_MODULES and bool(mean_only) and \
        (model_path / "tokenizer.json").is_file()


def fingerprint(model_path: Path) -> str:
    """Changes whenever a file of the model folder changes (name, size or modification time)."""
    digest = hashlib.sha256(str(model_path.resolve()).encode())
    for path in sorted(p for p in model_path.rglob("*") if p.is_file()):
        st = path.stat()
        digest.update(f"{path.relative_to(model_path)}:{st.st_size}:{st.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class OnnxUnavailable(Exception):
    """The graph could not be exported or opened (no room, no torch, a broken model): use torch."""


# Graphs already opened by this process, by folder and checksum: a second ``Embedder`` of the same
# model (an engine per command, per test, per benchmark side) shares the session instead of
# hashing and loading 90 MB again. Sessions may run concurrently.
_OPENED: dict[tuple[str, str], tuple[Any, Any]] = {}
_OPENING = threading.Lock()


class OnnxModel:
    """Mean-pooled, normalised sentence vectors from the exported graph."""

    def __init__(self, model_path: Path, cache_dir: Path, precision: str = "int8") -> None:
        if precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {PRECISIONS}, not {precision!r}")
        self.model_path = model_path
        self.precision = precision
        self.folder = cache_dir / "onnx" / fingerprint(model_path)
        self.graph = self.folder / graph_name(precision)
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()
        config = json.loads((model_path / "sentence_bert_config.json").read_text()) \
            if (model_path / "sentence_bert_config.json").is_file() else {}
        self.max_tokens = int(config.get("max_seq_length", 256))
        self.dimension = int(json.loads((model_path / "config.json").read_text()).get("hidden_size", 384))

    def ready(self) -> bool:
        """Is a checked graph for this model on disk (so no export, and no torch, is needed)?"""
        return _stamped(self.graph)

    def load(self) -> None:
        with self._lock:
            if self._session is not None:
                return
            with _OPENING:
                opened = _OPENED.get((str(self.graph), _stamp(self.graph)))
            if opened is not None:
                self._session, self._tokenizer = opened
                return
            try:
                if not _stamped(self.graph):
                    with making(self.folder):  # another process may be making it right now: wait, then look again
                        if not _stamped(self.graph):
                            if not _stamped(self.folder / GRAPH):
                                export(self.model_path, self.folder)
                            if self.precision == "int8":
                                quantise(self.folder / GRAPH, self.graph)
                import onnxruntime as ort
                from tokenizers import Tokenizer

                options = ort.SessionOptions()
                # One thread per run: a question never waits for a core another job holds, and
                # ``Embedder`` runs several batches at once instead (concurrent runs are safe).
                options.intra_op_num_threads = 1
                options.inter_op_num_threads = 1
                options.add_session_config_entry("session.intra_op.allow_spinning", "0")  # no busy-waiting cores
                self._session = ort.InferenceSession(str(self.graph), options,
                                                     providers=["CPUExecutionProvider"])
                tokenizer = Tokenizer.from_file(str(self.model_path / "tokenizer.json"))
            except Exception as exc:  # any failure here only costs speed, never an answer
                raise OnnxUnavailable(f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}") from exc
            tokenizer.enable_truncation(max_length=self.max_tokens)
            tokenizer.enable_padding()
            self._tokenizer = tokenizer
            with _OPENING:
                _OPENED[(str(self.graph), _stamp(self.graph))] = (self._session, tokenizer)

    def embed(self, texts: list[str]) -> np.ndarray:
        return self.embed_spans(texts, None)[0]

    def embed_spans(self, texts: list[str], spans: list[list[tuple[int, int]]] | None
                    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Vectors for ``texts`` and, from the same forward pass, for each character span of each
        text (its tokens mean-pooled): a chunk's sentences cost nothing more to embed. A span
        whose tokens were cut off by the length limit gets a zero row."""
        self.load()
        encoded = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self._session.run(None, feeds)[0]
        vectors = _pooled(hidden, mask.astype(np.float32))
        pooled: list[np.ndarray] = []
        for row, (enc, wanted) in enumerate(zip(encoded, spans or [])):
            offsets = np.array(enc.offsets, dtype=np.int64).reshape(-1, 2)
            real = (mask[row] == 1) & (offsets[:, 1] > offsets[:, 0])
            weights = np.stack([real & (offsets[:, 0] >= s) & (offsets[:, 1] <= e) for s, e in wanted]) \
                if wanted else np.zeros((0, len(offsets)), dtype=bool)
            pooled.append(_pooled(np.broadcast_to(hidden[row], (len(wanted), *hidden[row].shape)),
                                  weights.astype(np.float32)))
        return vectors, pooled


def graph_name(precision: str) -> str:
    """The graph's file name in the export folder: ``model.onnx`` (fp32) or ``model.int8.onnx``."""
    return GRAPH if precision == "fp32" else GRAPH.replace(".onnx", f".{precision}.onnx")


def stamp_path(graph: Path) -> Path:
    """Where a graph's checksum is kept: ``stamp.json`` beside the fp32 graph, ``stamp.int8.json``."""
    return graph.with_name(STAMP if graph.name == GRAPH else STAMP.replace(".json", graph.suffixes[0] + ".json"))


def _stamp(graph: Path) -> str:
    """The checksum a graph's stamp records ("" when there is none)."""
    try:
        return str(json.loads(stamp_path(graph).read_text()).get("sha256", ""))
    except (OSError, ValueError):
        return ""


def _stamped(graph: Path) -> bool:
    """Is the graph on disk the one its stamp's checksum names?"""
    stamp = _stamp(graph)
    return bool(stamp) and graph.is_file() and stamp == file_sha256(graph)


def _write_stamp(graph: Path, source: str) -> None:
    """The stamp, written whole or not at all (a reader never sees half of it)."""
    target = stamp_path(graph)
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"from": source, "sha256": file_sha256(graph)}))
    os.replace(tmp, target)


LOCK = ".making.lock"


def making(folder: Path) -> AbstractContextManager[None]:
    """Held while a graph is exported or quantised in ``folder``: processes started together on
    a fresh machine (the bot and ``newsbot watch``) make it once, the others wait for it instead
    of replacing its files under each other and falling back to torch."""
    return exclusive(folder / LOCK)


def _pooled(hidden: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Mean of the weighted token vectors, L2-normalised; rows without tokens stay zero."""
    summed = (hidden * weights[..., None]).sum(axis=1)
    vectors = summed / np.clip(weights.sum(axis=1, keepdims=True), 1, None)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.where(norms > 1e-12, vectors / np.clip(norms, 1e-12, None), 0.0).astype(np.float32)


def export(model_path: Path, folder: Path) -> None:
    """Write ``folder/model.onnx`` from the model folder (needs torch once) and its checksum stamp."""
    import torch
    from transformers import AutoModel

    log.info("exporting the embedding model to ONNX (once per model) in %s", folder)
    base = AutoModel.from_pretrained(str(model_path), local_files_only=True).eval()

    class LastHidden(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.base = base

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.base(input_ids=input_ids, attention_mask=attention_mask,
                             token_type_ids=token_type_ids).last_hidden_state

    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f"{GRAPH}.{os.getpid()}.tmp"
    sample = torch.ones(2, 8, dtype=torch.long)
    axes = {name: {0: "batch", 1: "tokens"} for name in (*INPUTS, "last_hidden_state")}
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer notes about constants that hold for every input here
            torch.onnx.export(LastHidden().eval(), (sample, sample, torch.zeros_like(sample)), str(tmp),
                              input_names=list(INPUTS), output_names=["last_hidden_state"], dynamic_axes=axes,
                              opset_version=OPSET, dynamo=False)
        os.replace(tmp, folder / GRAPH)
    finally:
        tmp.unlink(missing_ok=True)
    _write_stamp(folder / GRAPH, str(model_path))


class _DropAdvice(logging.Filter):
    """Drops onnxruntime's advice to pre-process a model before quantising: it is meant for the
    person writing the quantisation, and a user ingesting their first article cannot act on it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "pre-processing before quantization" not in record.getMessage()


def quantise(source: Path, target: Path) -> None:
    """Write ``target``: ``source`` with its matrix products' weights quantised to int8 per output
    channel (activations stay float, quantised on the fly). The same source gives the same bytes."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    log.info("quantising the embedding model to int8 (once per model) in %s", target.parent)
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    advice = _DropAdvice()
    logging.getLogger().addFilter(advice)  # onnxruntime logs its advice on the root logger
    try:
        quantize_dynamic(source, tmp, weight_type=QuantType.QInt8, per_channel=True, op_types_to_quantize=["MatMul"])
        os.replace(tmp, target)
    finally:
        logging.getLogger().removeFilter(advice)
        tmp.unlink(missing_ok=True)
    _write_stamp(target, source.name)
