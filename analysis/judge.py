"""LLM judge claim extractor: litellm, a pydantic output schema, every call logged and cached.

The judge reads one utterance at a time and answers with `JudgeAnswer` JSON. Requests go
through the players' transport (`agents.transport.request`: the same retries, error classes,
structured-output negotiation and circuit breaker); an unusable answer is re-asked with its
error, like a player's. Each attempt is stored as an `LLMCall` row (purpose "judge"); those rows
are also the cache: a request whose exact messages were already answered (parsed) for the same
model is never sent again. An utterance that got no usable answer is never read as "no claims":
`extract` logs every call, then raises `JudgeError` (or `ProviderError` when the model cannot be
used at all), so a rerun sends only what failed.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
from collections.abc import Callable, Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, Field, ValidationError, model_validator
from sqlalchemy import Engine, select

from agents.base import CallRecord
from agents.prompting import AnswerError, extract_json, speech_literal
from agents.providers import ProviderError, resolve
from agents.session import LLMSession
from agents.transport import TransportOptions, request
from analysis.claims import ExtractedClaim, Utterance
from analysis.frames import engine_for
from runs import schema
from vocab import CLAIM_TYPES, CLAIM_VALUES

__all__ = ["JudgeAnswer", "JudgeError", "JudgedClaim", "LLMJudge", "parse_answer", "read_answer"]

PROMPT_VERSION = 2
SYSTEM = """You extract checkable claims from one public utterance in a game of Werewolf.
Roles: werewolf, seer, doctor, villager. Players are named player_0, player_1, ...
A claim is something the speaker asserts in its own voice. Not claims: questions,
conditionals and hypotheticals ("if X is the seer..."), what others said ("X claims seer"),
wishes, greetings, procedure.

Claim types and values:
- role_claim: a player (the speaker or another) holds a role. value: werewolf, seer, doctor,
  villager (the role exactly), or "village" for a team-only claim ("I'm town").
  "X is a villager/the seer/the doctor" is a role claim about X; "I am a werewolf" too.
- accusation: a player is a werewolf ("X is a wolf", "I suspect X", "you're the wolf").
  value: "werewolf". "X is a werewolf/evil" is an accusation, never a role claim about X.
- defence: a player is not a werewolf ("X is innocent/clean/town/good", "I trust X",
  "I'm not a wolf", "I don't think X is a wolf"). value: "not a werewolf".
- inspection_claim: the speaker says it inspected a player and got a result. value:
  "werewolf" or "not a werewolf". A reported inspection is this one claim, not also an
  accusation or defence of that player.
- vote_claim: whom the speaker voted for. value: "yesterday", "today", or "last".
- night_claim: "attacked" (subject: the player the wolves went for last night) or
  "protected" (subject: the player the speaker protected last night).
- plan: an intention or proposal ("I'm voting X today", "let's vote out X", "tonight I'll
  protect X") has value "intent"; a forecast ("X will be dead by tomorrow") "prediction".
hedged = true for opinions and guesses ("I think", "I suspect", "probably", "seems",
"might be", "I trust", "I'm fairly sure"); false for flat assertions. Hedging never removes
a claim. Sarcasm counts as what the speaker means.
Lists make one claim per player ("X, Y and Z are village" is three defences).
subject: the player's name exactly as listed, "me" for the speaker, or null if unclear;
pronouns and "you" resolve to the player meant. A claim repeated in one utterance is listed
once. Answer with JSON only:
{"claims": [{"type": ..., "subject": ..., "value": ..., "hedged": ...}]}"""

JudgeType = Literal[CLAIM_TYPES]  # type: ignore[valid-type]
_VALUES = tuple(dict.fromkeys(v for values in CLAIM_VALUES.values() for v in values))
JudgeValue = Literal[_VALUES]  # type: ignore[valid-type]
MAX_CLAIMS = 16  # bounds a grammar-constrained answer (and a runaway list)


class JudgeError(RuntimeError):
    """Some utterances got no usable answer; their calls are logged, reruns retry only them."""


class JudgedClaim(BaseModel):
    """One claim as the judge reports it."""

    type: JudgeType
    subject: str | None = Field(max_length=40, description='a player name, "me", or null')
    value: JudgeValue
    hedged: bool = False

    @model_validator(mode="after")
    def _value_fits_type(self) -> JudgedClaim:
        allowed = CLAIM_VALUES[self.type]
        if self.value not in allowed:
            raise ValueError(f"a {self.type} takes {' or '.join(map(repr, allowed))}")
        return self


class JudgeAnswer(BaseModel):
    """The judge's whole answer for one utterance."""

    claims: list[JudgedClaim] = Field(default_factory=list, max_length=MAX_CLAIMS)


def messages_for(u: Utterance) -> list[dict[str, str]]:
    """The chat messages sent for one utterance (also the cache key, with the model).

    The utterance is a one-line JSON string, escaped as in players' prompts
    (agents.prompting.speech_literal): it cannot end its quotes, start a line or spell a
    chat-template token. Plain printable text renders exactly as json.dumps did, so the
    cache keys of earlier runs still hit for every utterance without brackets or odd
    characters.
    """
    speaker = u.names[u.speaker] if 0 <= u.speaker < len(u.names) else f"player_{u.speaker}"
    user = (
        f"Players: {', '.join(u.names)}.\nSpeaker: {speaker}.\nUtterance: {speech_literal(u.text)}"
    )
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


def cache_key(model: str, messages: list[dict[str, Any]]) -> str:
    """Stable digest of a request: its first two messages (a re-ask extends the same request)."""
    raw = json.dumps([model, messages[:2]], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


def read_answer(text: str | None) -> JudgeAnswer:
    """The JSON answer (code fences and prose around it tolerated), or AnswerError saying why."""
    data = extract_json(text, ("claims",))
    try:
        return JudgeAnswer.model_validate(data)
    except ValidationError as exc:
        parts = []
        for e in exc.errors()[:4]:
            where = ".".join(str(p) for p in e["loc"]) or "answer"
            parts.append(f"{where}: {e['msg']}")
        raise AnswerError("; ".join(parts)) from None


def parse_answer(text: str | None) -> JudgeAnswer | None:
    """The JSON answer, or None when unusable."""
    try:
        return read_answer(text)
    except AnswerError:
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
T = TypeVar("T")


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion from sync code, even inside a running loop (a notebook)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


class LLMJudge:
    """Claim extraction by an LLM through litellm; logged as LLMCall rows, cached by request."""

    def __init__(
        self,
        model: str,
        db: Engine | str | None = None,
        *,
        concurrency: int = 8,
        structured: Literal["auto", "json_schema", "json_object", "prompt", "none"] = "auto",
        mock_response: MockAnswer | None = None,
        log_game_ids: bool = True,
        **options: Any,
    ) -> None:
        self.model = model
        self.name = f"judge:{model}"
        # Where calls are logged and the cache lives: usually the games database itself.
        self.engine = engine_for(db) if db is not None else None
        self.concurrency = max(1, concurrency)
        mode = "prompt" if structured == "none" else structured
        # Same options as a player (api_base, api_key, max_tokens, retries …); temperature 0.
        self.options = TransportOptions(
            **{"temperature": 0, "concurrency": self.concurrency, "structured": mode, **options}
        )
        # ProviderError for an unusable spec; a mock answers offline under any name.
        self.provider = resolve(model, self.options, mock=mock_response is not None)
        self.session = LLMSession(self.concurrency)
        self.mock_response = mock_response
        self.log_game_ids = log_game_ids  # off when utterances are not from this database
        self.cache: dict[str, str] = {}
        self.failures: dict[str, str] = {}  # cache key -> last error, for the last extract
        self.sent = 0  # requests actually made by this object (cache misses, re-asks included)
        self.rng = random.Random(0)
        if self.engine is not None:
            self._load_cache()

    def extract(self, utterances: Sequence[Utterance]) -> list[list[ExtractedClaim]]:
        """Claims for each utterance; cached answers cost nothing, new ones are logged.

        Raises JudgeError when an utterance got no usable answer (after retries and re-asks)
        and ProviderError when the model cannot be used; every call is logged either way.
        """
        requests = [(u, messages_for(u)) for u in utterances]
        keys = [cache_key(self.model, m) for _, m in requests]
        todo: dict[str, tuple[Utterance, list[dict[str, str]]]] = {}
        for key, req in zip(keys, requests, strict=True):
            if key not in self.cache and key not in todo:
                todo[key] = req
        self.failures = {}
        if todo:
            rows: list[dict[str, Any]] = []
            try:
                run_sync(self._ask_all(todo, rows))
            finally:
                self._log(rows)  # what was spent is recorded, whatever happened
            if self.failures:
                first = next(iter(self.failures.values()))
                raise JudgeError(
                    f"{self.name}: {len(self.failures)} of {len(todo)} utterances got no usable "
                    f"answer (first: {first}); their calls are logged, a rerun retries them"
                )
        out = []
        for key, (u, _) in zip(keys, requests, strict=True):
            out.append(to_claims(read_answer(self.cache[key]), u))
        return out

    def close(self) -> None:
        """Stop a local server this judge started."""
        self.session.close()

    async def _ask_all(
        self, todo: dict[str, tuple[Utterance, list[dict[str, str]]]], rows: list[dict[str, Any]]
    ) -> None:
        results = await asyncio.gather(
            *(self._ask(key, u, messages, rows) for key, (u, messages) in todo.items()),
            return_exceptions=True,
        )
        stopped = [r for r in results if isinstance(r, ProviderError)]
        if stopped:
            raise stopped[0]  # the breaker opened: one line naming the model
        for r in results:
            if isinstance(r, BaseException):
                raise r

    async def _ask(
        self,
        key: str,
        u: Utterance,
        messages: list[dict[str, str]],
        rows: list[dict[str, Any]],
    ) -> None:
        mock = self.mock_response
        canned = (mock(u) if callable(mock) else mock) if mock is not None else None
        calls: list[CallRecord] = []
        answered = ok = False
        error = "no answer"
        try:
            for _ in range(self.options.max_reprompts + 1):
                reply = await request(
                    self.session,
                    self.provider,
                    messages,
                    JudgeAnswer,
                    self.options,
                    calls,
                    self.rng,
                    mock_response=canned,
                )
                answered = answered or reply.answered
                if reply.problem is not None:
                    error = reply.problem
                    continue
                if reply.text is None:
                    error = reply.error or "no answer"
                    break
                try:
                    read_answer(reply.text)
                except AnswerError as exc:
                    error = f"invalid answer: {exc}"
                    calls[-1].error = error
                    messages = [*messages, {"role": "assistant", "content": reply.text}]
                    messages.append(_repair(str(exc)))
                    continue
                calls[-1].parsed_ok = ok = True
                self.cache[key] = reply.text
                break
            if not ok:
                self.failures[key] = error
            self.session.turn_done(self.model, answered, fallback=not ok)
        finally:
            self.sent += len(calls)
            rows.extend(self._row(u, c) for c in calls)
        self.session.check(self.model)

    def _row(self, u: Utterance, call: CallRecord) -> dict[str, Any]:
        row = {
            "game_id": u.game_id if self.log_game_ids else None,
            "seat": u.speaker,
            "turn": u.turn if self.log_game_ids else None,
            "purpose": "judge",
            **call.model_dump(),
        }
        if "mode" not in schema.LLMCall.__table__.c:  # a store without the column yet
            row.pop("mode", None)
        return row

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
                if parse_answer(response) is not None:  # an answer older rules still accept
                    self.cache[cache_key(self.model, messages)] = response


def _repair(error: str) -> dict[str, str]:
    return {
        "role": "user",
        "content": f"Your answer could not be used: {error}. Answer again with the JSON object "
        'only: {"claims": [...]}.',
    }
