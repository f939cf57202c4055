"""A white-box monitor: a linear probe on the speaker's own activations (local GGUF models).

For an utterance spoken by a `local/...` model, the speaker's stored request (the messages of
the turn's parsed `LLMCall`) is formatted with the GGUF's own chat template exactly as
llama-cpp-python's server formats it, the model's stored reply (the JSON answer it generated,
whose `speech` field is the utterance) is appended, and the sequence is run through the same
GGUF with llama-cpp-python. The probe reads the activations over the speech tokens only.

Which activations, exactly: llama.cpp's embeddings output with pooling NONE
(`Llama(embedding=True, pooling_type=LLAMA_POOLING_TYPE_NONE)`, `llama_get_embeddings`) is the
tensor the graph calls `result_norm` (`res->t_embd`): the last layer's residual stream after the
final RMSNorm (`output_norm`, its learned gain applied) — the input of the output projection
(lm_head), one vector of `n_embd` floats per token (576 for SmolLM2-135M, after block 29 of 30).
Checked on SmolLM2: multiplying these vectors by the tied token-embedding matrix reproduces the
model's logits (correlation 0.99998; the gap is llama.cpp's 8-bit activation quantisation),
and every vector divided by the gain has RMS exactly 1. Intermediate layers are not exposed by
llama.cpp's API; probes on middle layers (Goldowsky-Dill et al.) are not possible here.

Feature per utterance: the mean of those vectors over the speech tokens (`pool="mean"`) or the
last speech token's (`pool="last"`). Probe: logistic regression on standardised features with a
strong L2 penalty (C = 0.1, fixed a priori, not tuned on these data), trained and scored out of
fold with folds grouped by game (analysis.textmodel), once per target. Activations are cached
on disk by model file, tokens and span, so a rerun computes nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.monitors import CannotScore, cross_validated
from analysis.textmodel import FOLDS, ModelSpec

__all__ = [
    "LAYER",
    "Activations",
    "ProbeInput",
    "ProbeMonitor",
    "build_sequence",
    "speech_span",
]

LAYER = "result_norm"  # llama.cpp's name for the final-norm hidden state it returns
PROBE_C = 0.1
CHUNK = 512  # tokens per llama_decode call (bounds the attention buffers)


def cache_root() -> Path:
    """The lab's cache: $SDLAB_CACHE_DIR, else ~/.cache/sdlab (XDG)."""
    root = os.environ.get("SDLAB_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "sdlab"
    )
    return Path(root)


def default_cache_dir() -> Path:
    """Where activations are cached: `cache_root()`/activations."""
    return cache_root() / "activations"


def speech_span(response: str) -> tuple[int, int] | None:
    """Character span of the `speech` value inside a model's raw JSON answer, or None."""
    from agents.prompting import AnswerError, extract_json

    try:
        data = extract_json(response, ("speech",))
    except AnswerError:
        return None
    speech = data.get("speech")
    if not isinstance(speech, str) or not speech.strip():
        return None
    key = response.find('"speech"')
    start_from = key if key >= 0 else 0
    # The value as the model wrote it: JSON-escaped (either way for non-ASCII), or raw.
    forms = dict.fromkeys(
        (json.dumps(speech, ensure_ascii=False)[1:-1], json.dumps(speech)[1:-1], speech)
    )
    for form in forms:
        at = response.find(form, start_from)
        if at >= 0:
            return at, at + len(form)
    return None


@dataclass(frozen=True)
class ProbeInput:
    """Tokens to run and the [start, end) token span whose activations the probe reads."""

    tokens: tuple[int, ...]
    start: int
    end: int

    def key(self, model_id: str, pool: str) -> str:
        """Cache key: model file, layer, pooling, tokens and span."""
        raw = json.dumps([model_id, LAYER, pool, self.start, self.end, self.tokens])
        return hashlib.sha256(raw.encode()).hexdigest()


class Activations:
    """llama.cpp forward passes over token sequences: the final-norm hidden state per token."""

    def __init__(self, gguf: Path, *, n_ctx: int = 4096, n_threads: int | None = None) -> None:
        self.gguf = Path(gguf)
        self.n_threads = n_threads or max(1, (os.cpu_count() or 2) // 2)
        self.n_ctx = n_ctx
        self._llm: Any = None
        self._vocab: Any = None
        self._formatter: Any = None
        self.model_id = _file_id(self.gguf)
        self.tokens_run = 0
        self.seconds = 0.0

    # ----- tokenizer and chat template (vocabulary only: fast) -----------------------------------
    def vocab(self) -> Any:
        """A vocabulary-only Llama for tokenizing and the chat template."""
        if self._vocab is None:
            from llama_cpp import Llama

            self._vocab = Llama(model_path=str(self.gguf), vocab_only=True, verbose=False)
        return self._vocab

    def tokenize(self, text: str, *, special: bool, bos: bool = False) -> list[int]:
        """Token ids of a text (special tokens parsed only where the template put them)."""
        if not text:
            return []
        return list(self.vocab().tokenize(text.encode("utf-8"), add_bos=bos, special=special))

    def chat_prompt(self, messages: list[dict[str, Any]]) -> list[int]:
        """The request's tokens as llama-cpp-python's server builds them (GGUF chat template)."""
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        if self._formatter is None:
            llm = self.vocab()
            template = llm.metadata.get("tokenizer.chat_template")
            if not template:
                raise CannotScore(f"{self.gguf.name} has no chat template to format prompts with")
            model = llm._model
            eos, bos = llm.token_eos(), llm.token_bos()
            self._formatter = Jinja2ChatFormatter(
                template=template,
                eos_token=model.token_get_text(eos) if eos != -1 else "",
                bos_token=model.token_get_text(bos) if bos != -1 else "",
                stop_token_ids=[eos],
            )
        result = self._formatter(messages=messages)
        return self.tokenize(result.prompt, special=True, bos=not result.added_special)

    # ----- the forward pass --------------------------------------------------------------------
    def _model(self, n_ctx: int) -> Any:
        import llama_cpp

        if self._llm is None or self._llm.n_ctx() < n_ctx:
            self._llm = None  # free the old context first
            self._llm = llama_cpp.Llama(
                model_path=str(self.gguf),
                embedding=True,
                pooling_type=llama_cpp.LLAMA_POOLING_TYPE_NONE,
                n_ctx=n_ctx,
                n_batch=CHUNK,
                n_ubatch=CHUNK,
                n_threads=self.n_threads,
                n_threads_batch=self.n_threads,
                verbose=False,
            )
        return self._llm

    def hidden(self, seq: ProbeInput) -> np.ndarray:
        """Final-norm hidden states (span tokens × n_embd) of one sequence, in one pass."""
        n = len(seq.tokens)
        llm = self._model(max(self.n_ctx, _round_up(n, 256)))
        clock = time.perf_counter()
        with _quiet():
            states = self._decode(llm, seq)
        self.tokens_run += n
        self.seconds += time.perf_counter() - clock
        return states

    def _decode(self, llm: Any, seq: ProbeInput) -> np.ndarray:
        import llama_cpp

        n, d = len(seq.tokens), llm.n_embd()
        llm._ctx.kv_cache_clear()
        batch = llm._batch
        rows = []
        for at in range(0, n, CHUNK):
            chunk = seq.tokens[at : at + CHUNK]
            batch.reset()
            # Every token is an output: in embedding mode llama.cpp makes it so anyway
            # ("embeddings required but some input tokens were not marked as outputs"), and
            # then returns one row per token, not per token asked for.
            batch.set_batch(chunk, at, True)
            llm._ctx.decode(batch)
            lo, hi = max(seq.start - at, 0), min(seq.end - at, len(chunk))
            if lo < hi:
                ptr = llama_cpp.llama_get_embeddings(llm._ctx.ctx)
                states = np.ctypeslib.as_array(ptr, shape=(len(chunk) * d,)).reshape(-1, d)
                rows.append(states[lo:hi].copy())
        llm._ctx.kv_cache_clear()
        return np.concatenate(rows) if rows else np.empty((0, d), dtype=np.float32)


@contextmanager
def _quiet() -> Iterator[None]:
    """llama.cpp's per-decode warnings off (it says every token became an output: we know)."""
    logger = logging.getLogger("llama-cpp-python")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        logger.setLevel(level)


def _round_up(n: int, step: int) -> int:
    return -(-n // step) * step


def _file_id(path: Path) -> str:
    """Name, size and a hash of the first 4 MB: identifies a model file cheaply."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        h.update(f.read(4 << 20))
    return f"{path.name}:{path.stat().st_size}:{h.hexdigest()[:16]}"


def build_sequence(
    acts: Activations,
    messages: list[dict[str, Any]] | None,
    response: str | None,
    speech: str | None = None,
) -> ProbeInput | None:
    """Prompt tokens + the reply up to the end of its speech, with the speech's token span.

    The reply's pieces are tokenized apart (before the speech, the speech), so the span is
    exact; at the two seams the tokens may differ from the ones the model sampled. Without a
    readable reply the speech is appended as the assistant's plain text. None: nothing to run.
    """
    if not messages:
        return None
    prompt = acts.chat_prompt(messages)
    span = speech_span(response) if response else None
    if span is not None and response is not None:
        before = acts.tokenize(response[: span[0]], special=False)
        said = acts.tokenize(response[span[0] : span[1]], special=False)
    elif speech:
        before, said = [], acts.tokenize(speech, special=False)
    else:
        return None
    if not said:
        return None
    start = len(prompt) + len(before)
    return ProbeInput(tuple(prompt + before + said), start, start + len(said))


@dataclass
class ProbeStats:
    """What the probe read: utterances, tokens run, seconds, cache hits, unreadable rows."""

    utterances: int = 0
    cached: int = 0
    tokens: int = 0
    seconds: float = 0.0
    unreadable: int = 0  # no stored prompt (not an LLM turn) or no speech
    plain: int = 0  # the reply's speech not found in it: the speech appended as plain text
    truncated: int = 0


class ProbeMonitor:
    """Logistic-regression probe on the speaker's final-norm hidden state over its speech."""

    trained = True
    needs_prompts = True

    def __init__(
        self,
        model: str = "local/smollm2",
        *,
        gguf: str | None = None,
        pool: str = "mean",
        C: float = PROBE_C,
        folds: int = FOLDS,
        cache_dir: str | os.PathLike[str] | None = None,
        max_tokens: int = 8192,
        n_threads: int | None = None,
        activations: Activations | None = None,
    ) -> None:
        if pool not in ("mean", "last"):
            raise ValueError(f"pool must be 'mean' or 'last', got {pool!r}")
        self.model = model
        self.name = f"probe:{model}"
        self.pool = pool
        self.spec_C = C
        self.folds = folds
        self.max_tokens = max_tokens
        self.cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        if activations is None:
            from agents.local_server import gguf_for

            activations = Activations(gguf_for(model, gguf), n_threads=n_threads)
        self.acts = activations
        self.version = f"{self.acts.gguf.name}:{LAYER}:{pool}:C={C}:folds={folds}"
        self.stats = ProbeStats()
        self._features: dict[tuple[int, int], np.ndarray | None] = {}

    def features(self, utterances: pd.DataFrame) -> np.ndarray:
        """One pooled activation vector per row (NaN rows where the probe cannot read)."""
        mine = utterances["model"].astype(str) == self.model
        rows = []
        for i, row in enumerate(utterances.itertuples(index=False)):
            key = (int(row.game_id), int(row.event_seq))
            if key not in self._features:
                self._features[key] = self._read(row) if mine.iloc[i] else None
            rows.append(self._features[key])
        width = next((len(r) for r in rows if r is not None), 1)
        out = np.full((len(rows), width), np.nan, dtype=np.float64)
        for i, r in enumerate(rows):
            if r is not None:
                out[i] = r
        return out

    def _read(self, row: Any) -> np.ndarray | None:
        messages = getattr(row, "messages", None)
        response = getattr(row, "response", None)
        messages = messages if isinstance(messages, list) else None
        response = response if isinstance(response, str) else None
        seq = build_sequence(self.acts, messages, response, str(row.text))
        if seq is not None and response is not None and speech_span(response) is None:
            self.stats.plain += 1
        if seq is None:
            self.stats.unreadable += 1
            return None
        if len(seq.tokens) > self.max_tokens:
            # Left-truncated: the speech and what came just before it are kept.
            cut = len(seq.tokens) - self.max_tokens
            seq = ProbeInput(seq.tokens[cut:], seq.start - cut, seq.end - cut)
            self.stats.truncated += 1
        self.stats.utterances += 1
        path = self.cache_dir / f"{seq.key(self.acts.model_id, self.pool)}.npy"
        if path.exists():
            self.stats.cached += 1
            return np.load(path)
        before = self.acts.seconds
        states = self.acts.hidden(seq)
        self.stats.tokens += len(seq.tokens)
        self.stats.seconds += self.acts.seconds - before
        vector = states.mean(axis=0) if self.pool == "mean" else states[-1]
        vector = vector.astype(np.float32)
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp.npy")
        np.save(tmp, vector)
        os.replace(tmp, path)  # atomic: a concurrent reader never sees half a file
        return vector

    def score(self, utterances: pd.DataFrame, target: pd.Series | None) -> pd.Series:
        """Out-of-fold P(target) from the speaker's activations; NaN for other speakers."""
        assert target is not None, "the probe is trained on a target"
        x = self.features(utterances)
        ok = ~np.isnan(x).any(axis=1)
        if not ok.any():
            raise CannotScore(f"no utterance of {self.model} with a stored prompt to read")
        columns = [f"h{i}" for i in range(x.shape[1])]
        data = pd.DataFrame(x[ok], columns=columns)
        data["game_id"] = utterances["game_id"].to_numpy()[ok]
        spec = ModelSpec(numeric=tuple(columns), C=self.spec_C)
        y = pd.Series(target.to_numpy()[ok], name=target.name)
        scored = cross_validated(data, y, spec, self.folds)
        out = pd.Series(np.nan, index=utterances.index)
        out[ok] = scored.to_numpy()
        return out

    def close(self) -> None:
        """Free the model (the cache stays on disk)."""
        self.acts._llm = None
