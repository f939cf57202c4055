"""LLM judge claim extractor: litellm, a pydantic output schema, every call logged and cached.

The judge reads one utterance at a time and answers with `JudgeAnswer` JSON. Each request is
stored as an `LLMCall` row (purpose "judge"); those rows are also the cache: a request whose
exact messages were already answered (parsed) for the same model is never sent again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import Engine, select

from analysis.claims import ExtractedClaim, Utterance
from analysis.frames import engine_for
from runs import schema

PROMPT_VERSION = 1
SYSTEM = """You extract checkable claims from one public utterance in a game of Werewolf.
Roles: werewolf, seer, doctor, villager. Players are named player_0, player_1, ...

Claim types (record only what the speaker asserts, never questions, plans or hypotheticals):
- role_claim: the speaker (or another player) holds a role. value: werewolf|seer|doctor|villager,
  or "village" for a team-only claim ("I'm on the village team").
- accusation: a player is a werewolf. value: "werewolf".
- defence: a player is not a werewolf ("X is innocent/clean", "I'm not a wolf"). value:
  "not a werewolf".
- inspection_claim: the speaker says it inspected a player and got a result. value: "werewolf"
  or "not a werewolf". When an inspection is reported, its result is this one claim only.
- vote_claim: the speaker says whom it voted for. value: "yesterday", "today", or "last".
- night_claim: "attacked" (a player was attacked by the wolves last night) or "protected"
  (the speaker protected a player last night).
hedged = true for opinions and suspicions ("I suspect X", "X might be a wolf", "I trust X",
"I think X is innocent"); false for flat assertions.
subject: the player's name exactly as listed, or "me" for the speaker; null if unclear.
A claim repeated in one utterance is listed once. Answer with JSON only:
{"claims": [{"type": ..., "subject": ..., "value": ..., "hedged": ...}]}"""

JudgeValue = Literal[
    "werewolf", "seer", "doctor", "villager", "village", "not a werewolf",
    "yesterday", "today", "last", "attacked", "protected",
]  # fmt: skip


class JudgedClaim(BaseModel):
    """One claim as the judge reports it."""

    type: Literal[
        "role_claim", "accusation", "defence", "inspection_claim", "vote_claim", "night_claim"
    ]
    subject: str | None = Field(description='a player name as listed, "me", or null')
    value: JudgeValue
    hedged: bool = False


class JudgeAnswer(BaseModel):
    """The judge's whole answer for one utterance."""

    claims: list[JudgedClaim] = Field(default_factory=list)


def messages_for(u: Utterance) -> list[dict[str, str]]:
    """The chat messages sent for one utterance (also the cache key, with the model)."""
    speaker = u.names[u.speaker] if 0 <= u.speaker < len(u.names) else f"player_{u.speaker}"
    user = (
        f"Players: {', '.join(u.names)}.\nSpeaker: {speaker}.\n"
        f"Utterance: {json.dumps(u.text, ensure_ascii=False)}"
    )
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


def cache_key(model: str, messages: list[dict[str, Any]]) -> str:
    """Stable digest of a request."""
    raw = json.dumps([model, messages], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


def parse_answer(text: str | None) -> JudgeAnswer | None:
    """The JSON answer, tolerant of code fences and prose around it; None when unusable."""
    if not text:
        return None
    found = re.search(r"\{.*\}", text, re.S)
    if not found:
        return None
    try:
        return JudgeAnswer.model_validate_json(found.group())
    except ValidationError:
        return None


def to_claims(answer: JudgeAnswer, u: Utterance) -> list[ExtractedClaim]:
    """Map the judge's names back to seats (unknown names become subject None)."""
    seats = {n.lower(): i for i, n in enumerate(u.names)}
    out: list[ExtractedClaim] = []
    for c in answer.claims:
        name = (c.subject or "").strip().lower()
        subject = u.speaker if name in ("me", "myself", "i") else seats.get(name)
        claim = ExtractedClaim(c.type, subject, c.value, c.hedged)
        if claim not in out:
            out.append(claim)
    return out


MockAnswer = str | Callable[[Utterance], str]


def _litellm() -> Any:
    """litellm, imported on first use only (about 6 s), with its chatter off."""
    # The bundled price map: no network fetch at import (tests and air-gapped runs).
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    import litellm

    litellm.suppress_debug_info = True
    litellm.telemetry = False
    return litellm


class LLMJudge:
    """Claim extraction by an LLM through litellm; logged as LLMCall rows, cached by request."""

    def __init__(
        self,
        model: str,
        db: Engine | str | None = None,
        *,
        concurrency: int = 8,
        structured: Literal["json_schema", "json_object", "none"] = "json_schema",
        mock_response: MockAnswer | None = None,
        log_game_ids: bool = True,
        **completion_kwargs: Any,
    ) -> None:
        self.model = model
        self.name = f"judge:{model}"
        # Where calls are logged and the cache lives: usually the games database itself.
        self.engine = engine_for(db) if db is not None else None
        self.concurrency = max(1, concurrency)
        self.structured = structured
        self.mock_response = mock_response
        self.log_game_ids = log_game_ids  # off when utterances are not from this database
        self.kwargs = completion_kwargs
        self.cache: dict[str, str] = {}
        self.sent = 0  # requests actually made by this object (cache misses)
        if self.engine is not None:
            self._load_cache()

    def extract(self, utterances: Sequence[Utterance]) -> list[list[ExtractedClaim]]:
        """Claims for each utterance; cached answers cost nothing, new ones are logged."""
        requests = [(u, messages_for(u)) for u in utterances]
        keys = [cache_key(self.model, m) for _, m in requests]
        todo: dict[str, tuple[Utterance, list[dict[str, str]]]] = {}
        for key, req in zip(keys, requests, strict=True):
            if key not in self.cache and key not in todo:
                todo[key] = req
        if todo:
            with ThreadPoolExecutor(self.concurrency) as pool:
                rows = list(pool.map(lambda item: self._ask(*item), todo.items()))
            self._log(rows)
        out = []
        for key, (u, _) in zip(keys, requests, strict=True):
            answer = parse_answer(self.cache.get(key))
            out.append(to_claims(answer, u) if answer is not None else [])
        return out

    def _ask(self, key: str, request: tuple[Utterance, list[dict[str, str]]]) -> dict[str, Any]:
        u, messages = request
        kwargs = {"model": self.model, "messages": messages, "temperature": 0, **self.kwargs}
        fmt = self._response_format()
        if fmt is not None:
            kwargs["response_format"] = fmt
        if self.mock_response is not None:
            mock = self.mock_response
            kwargs["mock_response"] = mock(u) if callable(mock) else mock
        row: dict[str, Any] = {
            "game_id": u.game_id if self.log_game_ids else None,
            "seat": u.speaker,
            "turn": u.turn if self.log_game_ids else None,
            "purpose": "judge",
            "model": self.model,
            "messages": messages,
            "attempt": 1,
        }
        start = time.perf_counter()
        self.sent += 1
        try:
            response = _litellm().completion(**kwargs)
        except Exception as exc:  # logged, not raised: one bad call must not stop a batch
            row.update(error=f"{type(exc).__name__}: {exc}"[:2000], parsed_ok=False)
        else:
            text = response.choices[0].message.content
            usage = getattr(response, "usage", None)
            cost = (getattr(response, "_hidden_params", None) or {}).get("response_cost")
            row.update(
                response=text,
                parsed_ok=parse_answer(text) is not None,
                prompt_tokens=getattr(usage, "prompt_tokens", None),
                completion_tokens=getattr(usage, "completion_tokens", None),
                cost=float(cost) if isinstance(cost, int | float) else None,
            )
            if row["parsed_ok"]:
                self.cache[key] = text
        row["latency_s"] = round(time.perf_counter() - start, 4)
        return row

    def _response_format(self) -> dict[str, Any] | None:
        schema_ = JudgeAnswer.model_json_schema()
        if self.structured == "json_schema":
            return {
                "type": "json_schema",
                "json_schema": {"name": "claims", "schema": schema_, "strict": False},
            }
        if self.structured == "json_object":  # llama.cpp turns the schema into a grammar
            return {"type": "json_object", "schema": schema_}
        return None

    def _log(self, rows: list[dict[str, Any]]) -> None:
        if self.engine is None or not rows:
            return
        with self.engine.begin() as conn:
            conn.execute(schema.LLMCall.__table__.insert(), rows)

    def _load_cache(self) -> None:
        c = schema.LLMCall.__table__.c
        query = select(c.messages, c.response).where(
            c.purpose == "judge", c.model == self.model, c.parsed_ok.is_(True)
        )
        assert self.engine is not None
        with self.engine.connect() as conn:
            for messages, response in conn.execute(query):
                self.cache[cache_key(self.model, messages)] = response
