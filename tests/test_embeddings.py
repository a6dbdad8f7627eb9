"""The embedder: ONNX at fp32 and torch give the same vectors, int8 close ones; the export is made
once, checked, and remade when the model changes; a fresh `newsbot ask` never imports torch."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from retrieval.index import onnx_model
from retrieval.index.embeddings import Embedder
from retrieval.index.onnx_model import GRAPH, STAMP, OnnxModel, file_sha256, making, quantise, stamp_path
from tests.conftest import SEEDS

TEXTS = ["What did Lavrov demand?", "", "Что потребовал Лавров?", "🤔 emoji and 日本語",
         "Russian Foreign Minister Sergei Lavrov said Moscow was still waiting. " * 40,  # past 256 tokens
         "NATO", "The U.S. and Russia met in Geneva on Friday."]


@pytest.mark.slow
def test_onnx_and_torch_vectors_match(embedder: Embedder) -> None:
    assert embedder.backend == "onnx" and embedder.identity.endswith(":int8")
    fp32 = Embedder(cache_dir=embedder.onnx.folder.parent.parent, precision="fp32")  # type: ignore[union-attr]
    torch_side = Embedder(backend="torch")
    assert fp32.identity.endswith(":fp32") and torch_side.identity.endswith(":fp32")
    a, b, q = fp32.embed(TEXTS), torch_side.embed(TEXTS), embedder.embed(TEXTS)
    assert a.shape == b.shape == q.shape == (len(TEXTS), 384)
    assert float((a * b).sum(axis=1).min()) > 0.9999
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    assert np.allclose(np.linalg.norm(q, axis=1), 1.0, atol=1e-5)
    close = (q * a).sum(axis=1)
    assert float(close.min()) > 0.97 and float(close.min()) < 0.9999  # int8: close to fp32, not the same graph


@pytest.mark.slow
def test_the_int8_graph_is_the_same_bytes_each_time(tmp_path: Path, embedder: Embedder,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    """Quantising is reproducible, so stores and shipped weights made on one machine match another's;
    it is quiet, since a user's first ingest makes it (onnxruntime's advice to its developer stays out)."""
    assert embedder.onnx is not None and embedder.onnx.ready()
    fp32 = embedder.onnx.folder / GRAPH
    with caplog.at_level(logging.INFO):
        quantise(fp32, tmp_path / "a.int8.onnx")
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text
    quantise(fp32, tmp_path / "b.int8.onnx")
    assert file_sha256(tmp_path / "a.int8.onnx") == file_sha256(tmp_path / "b.int8.onnx") == \
        file_sha256(embedder.onnx.graph)
    assert (tmp_path / "a.int8.onnx").stat().st_size < fp32.stat().st_size * 0.7  # the word table stays float


def test_a_graph_another_process_is_making_is_waited_for(tmp_path: Path, embedder: Embedder,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Two processes started together on a fresh machine make the graph once: the second waits for
    the first instead of replacing its files under it (and falling back to torch)."""
    assert embedder.onnx is not None and embedder.onnx.ready()
    fresh = OnnxModel(embedder.model_path, tmp_path)
    fresh.folder.mkdir(parents=True)
    for name in (GRAPH, STAMP):  # the fp32 export is there: only the int8 graph is still to make
        shutil.copy(embedder.onnx.folder / name, fresh.folder / name)
    made: list[Path] = []
    monkeypatch.setattr(onnx_model, "quantise", lambda source, target: made.append(target))
    failed: list[BaseException] = []

    def load() -> None:
        try:
            fresh.load()
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            failed.append(exc)

    with making(fresh.folder):  # another process holds it, and makes the int8 graph meanwhile
        loading = threading.Thread(target=load)
        loading.start()
        loading.join(0.5)
        for name in (embedder.onnx.graph.name, stamp_path(embedder.onnx.graph).name):
            shutil.copy(embedder.onnx.folder / name, fresh.folder / name)
    loading.join(60)
    assert not loading.is_alive() and not failed and fresh.ready()
    assert made == []  # it found the other's graph when its turn came, and made none of its own


@pytest.mark.slow
def test_export_is_cached_checked_and_remade_when_the_model_changes(tmp_path: Path, embedder: Embedder) -> None:
    model = tmp_path / "model"
    shutil.copytree(embedder.model_path, model)
    first = Embedder(model, cache_dir=tmp_path / "cache")
    assert first.onnx is not None and not first.onnx.ready()
    vector = first.embed_one("harbour")
    assert first.onnx.ready()
    for graph in (first.onnx.folder / GRAPH, first.onnx.graph):  # the fp32 export, and int8 made from it
        stamp = json.loads(stamp_path(graph).read_text())
        assert stamp["sha256"] == file_sha256(graph)
    assert stamp_path(first.onnx.folder / GRAPH).name == STAMP != stamp_path(first.onnx.graph).name

    again = Embedder(model, cache_dir=tmp_path / "cache")
    assert again.onnx is not None and again.onnx.folder == first.onnx.folder and again.onnx.ready()

    with open(first.onnx.graph, "r+b") as fh:  # a damaged graph fails its checksum
        fh.seek(1000)
        fh.write(b"\0" * 64)
    assert not Embedder(model, cache_dir=tmp_path / "cache").onnx.ready()  # type: ignore[union-attr]
    assert float(Embedder(model, cache_dir=tmp_path / "cache").embed_one("harbour") @ vector) > 0.9999  # remade

    config = model / "config.json"
    config.write_text(config.read_text() + " ")  # the model folder changed: a new export
    changed = Embedder(model, cache_dir=tmp_path / "cache")
    assert changed.onnx is not None and changed.onnx.folder != first.onnx.folder
    assert float(changed.embed_one("harbour") @ vector) > 0.9999


def test_other_model_shapes_stay_on_torch(tmp_path: Path, embedder: Embedder) -> None:
    model = tmp_path / "model"
    shutil.copytree(embedder.model_path, model)
    pooling = model / "1_Pooling" / "config.json"
    settings = json.loads(pooling.read_text())
    settings.update(pooling_mode_mean_tokens=False, pooling_mode_cls_token=True)
    pooling.write_text(json.dumps(settings))
    assert Embedder(model, cache_dir=tmp_path / "cache").backend == "torch"


@pytest.mark.slow
def test_a_fresh_ask_never_imports_torch(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "NEWSBOT_HOME": str(home)}
    exe = Path(sys.executable).with_name("newsbot")
    subprocess.run([str(exe), "ingest", str(SEEDS)], env=env, check=True, capture_output=True, timeout=300)
    probe = ("import sys\nfrom bot.frontends import cli\nsys.argv = ['newsbot', 'ask', '--json', 'What did Lavrov demand?']\n"
             "try:\n    cli.run()\nexcept SystemExit:\n    pass\n"
             "heavy = sorted(m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules)\n"
             "print('HEAVY', heavy, file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=300,
                            cwd=Path(__file__).parents[1])
    assert '"abstained": false' in result.stdout
    assert "HEAVY []" in result.stderr, result.stderr[-500:]


@pytest.mark.slow
def test_a_failed_export_falls_back_to_torch_and_leaves_no_partial_file(tmp_path: Path, embedder: Embedder) -> None:
    blocked = Embedder(cache_dir=tmp_path / "cache")
    assert blocked.onnx is not None
    blocked.onnx.folder.parent.mkdir(parents=True)
    blocked.onnx.folder.write_text("a file where the export's folder would go")  # the export cannot be written
    vector = blocked.embed_one("harbour")
    assert blocked.backend == "torch" and blocked.identity.endswith(":fp32")
    assert float(vector @ embedder.embed_one("harbour")) > 0.98  # torch is fp32, the fixture int8
    assert not list((tmp_path / "cache").rglob("*.tmp"))


@pytest.mark.slow
def test_batches_run_side_by_side_give_the_same_vectors(tmp_path: Path, embedder: Embedder) -> None:
    """Two forward passes at once (one thread each) put every vector back in its own row, and an
    int8 vector does not depend on the texts embedded beside it."""
    texts = [f"Story {i}: " + "the harbour council met about the budget. " * (1 + i % 9) for i in range(45)]
    spans = [[(0, len(t) // 2), (len(t) // 2, len(t))] for t in texts]
    one = Embedder(cache_dir=embedder.onnx.folder.parent.parent, threads=1)
    two = Embedder(cache_dir=embedder.onnx.folder.parent.parent, threads=2)
    assert np.allclose(one.embed(texts), two.embed(texts), atol=1e-6)
    (v1, s1), (v2, s2) = one.embed_with_spans(texts, spans), two.embed_with_spans(texts, spans)
    assert np.allclose(v1, v2, atol=1e-6)
    assert all(np.allclose(a, b, atol=1e-6) for a, b in zip(s1, s2))
    assert np.allclose(v2[7], one.embed([texts[7]])[0], atol=1e-6)  # not a neighbour's row
    assert np.allclose(one.embed(texts[3:9])[2], two.embed([texts[5], "x"])[0], atol=1e-6)
