"""Prompts for LLM players: templates, the capped visible history, and the per-turn answer schema.

Everything here is built from the `Observation` alone (the information barrier), never from raw
game state. The answer schema is rebuilt every turn so that the target is an enum of the names
that are legal right now: constrained decoding then makes even a tiny model choose legally.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache, lru_cache
from importlib import resources
from typing import Any, ClassVar, Literal

import jinja2
from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from games.core.events import Event
from games.core.observation import Observation
from vocab import WEREWOLF

TEMPLATES = ("system.j2", "turn.j2", "repair.j2")
NONE = "none"  # the target value for abstaining
WOLF = WEREWOLF
# The probabilities a structured answer may state. Grammars (llama.cpp) ignore minimum and
# maximum, so a range alone let a tiny model write 5 or 34; an enum makes anything outside
# [0, 1] impossible to decode, at a resolution of 0.05 (0.2 and 0.8, the thresholds, included).
BELIEF_STEPS: tuple[float, ...] = (0, *(round(i * 0.05, 2) for i in range(1, 20)), 1)

# Words that would tell a model deception is on the table; the neutral prompt has none of them.
DECEPTION_WORDS = re.compile(
    r"\b(lie|lies|lied|lying|liar|deceiv\w*|decept\w*|bluff\w*|mislead\w*|pretend\w*|"
    r"manipulat\w*|trick\w*|dishonest\w*)\b",
    re.IGNORECASE,
)

_INSTRUCTIONS = {
    "speak": "It is your turn to speak in the public discussion (round {round}).",
    "last_words": "You have been voted out. Say your last words to everyone.",
    "kill": (
        "Night: choose the player the werewolves should kill. Your message goes to your pack only."
    ),
    "inspect": "Night: choose one player to inspect; you will learn if they are a werewolf.",
    "protect": "Night: choose one player to protect from the werewolves tonight.",
    "vote": 'Vote for the player to eliminate, or "none" to abstain.',
    "bid": "Say how eager you are to speak next (0 = not at all, 4 = urgently).",
}


@cache
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FunctionLoader(template_text),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
        autoescape=False,  # plain-text prompts, not HTML
    )


@cache
def template_text(name: str) -> str:
    """The raw text of one prompt template shipped in agents/prompts."""
    return resources.files("agents").joinpath("prompts", name).read_text(encoding="utf-8")


def prompt_hash(condition: str, framing: str) -> str:
    """sha256 over every template text plus the condition and framing: the prompt's version."""
    h = hashlib.sha256()
    for name in TEMPLATES:
        h.update(name.encode() + b"\0" + template_text(name).encode() + b"\0")
    h.update(f"{condition}\0{framing}".encode())
    return h.hexdigest()


class HistoryCap(BaseModel):
    """How much visible history goes into a prompt."""

    model_config = ConfigDict(extra="forbid")

    full_days: int = Field(0, ge=0, description="earlier days shown in full besides today")
    max_recent: int = Field(60, ge=1, description="at most this many recent events in full")
    speech_chars: int = Field(400, ge=20, description="speech longer than this is cut")
    summary_speech_chars: int = Field(80, ge=0, description="speech excerpt in the summary")


# ----- speech as data ------------------------------------------------------------------------
#
# Players' words are data, never prompt structure. Every utterance is rendered as one line
#     » player_3: "the words, as a JSON string literal"
# and no other line of any prompt starts with the marker "»". The literal is json.dumps of the
# text, so quotes and backslashes are escaped and line breaks and control characters become
# \n / \uXXXX: speech can neither close its quotes nor start a line of its own. On top of JSON's
# rules, every other non-printable character (DEL, C1 controls, U+2028/U+2029, bidi and
# zero-width formats, Unicode tag characters) and the brackets < > [ ] are written as \uXXXX
# escapes: every chat-template control token (<|im_start|>, <|eot_id|>, </s>, [INST],
# <start_of_turn>, ...) is bracketed, so a speech can never spell one out for a local server
# that tokenises special tokens in message text. The literal still decodes (json.loads) to the
# exact words.

SPEECH_MARK = "»"  # starts every speech line and no other line of a prompt
SPEECH_KINDS = frozenset({"speech", "last_words", "wolf_chat"})
_SPEECH_TAGS = {"wolf_chat": " (to the pack)", "last_words": " (last words)"}
_BRACKETS = frozenset("<>[]")
_CUT = "…"  # after the closing quote: the moderator cut this speech


def _escape(c: str) -> str:
    if c in _BRACKETS or not c.isprintable():
        if ord(c) > 0xFFFF:  # a UTF-16 surrogate pair, as JSON writes astral characters
            v = ord(c) - 0x10000
            return f"\\u{0xD800 + (v >> 10):04x}\\u{0xDC00 + (v & 0x3FF):04x}"
        return f"\\u{ord(c):04x}"
    return c


def speech_literal(text: str) -> str:
    """Speech as a one-line JSON string literal that cannot close early or spell a template token.

    `json.loads(speech_literal(t)) == t` for every string `t`.
    """
    out = json.dumps(text, ensure_ascii=False)
    if out.isprintable() and _BRACKETS.isdisjoint(out):  # the common case, checked in C
        return out
    return "".join(_escape(c) for c in out)


def _cut_literal(text: str, max_chars: int) -> str:
    """The longest prefix of `text` whose literal has at most `max_chars` characters inside
    its quotes (JSON escapes are per character, so the pieces add up)."""
    pieces: list[str] = []
    size = 0
    for c in text:
        piece = speech_literal(c)[1:-1]
        if size + len(piece) > max_chars:
            break
        pieces.append(piece)
        size += len(piece)
    return '"' + "".join(pieces) + '"'


@lru_cache(maxsize=32768)
def speech_line(name: str, text: str, kind: str, max_chars: int) -> str:
    """One utterance as its prompt line: marker, speaker, tag, then the words as a JSON string.

    `max_chars` caps the literal as written (escapes count), so words full of escapes cost no
    more prompt than plain words; a cut speech ends in "…" after its closing quote. Cached:
    every later prompt of every player in the game shows the same line again.
    """
    tag = _SPEECH_TAGS.get(kind, "")
    if not text:
        return f"{SPEECH_MARK} {name}{tag}: (silence)"
    body = speech_literal(text[:max_chars])
    if len(text) <= max_chars and len(body) - 2 <= max_chars:
        return f"{SPEECH_MARK} {name}{tag}: {body}"
    if len(body) - 2 > max_chars:  # escapes made it longer: show fewer characters
        body = _cut_literal(text[:max_chars], max_chars)
    return f"{SPEECH_MARK} {name}{tag}: {body}{_CUT}"


@lru_cache(maxsize=32768)
def fact_line(text: str) -> str:
    """Moderator text as one line that never starts like a speech line (the rules write it)."""
    line = " ".join(text.split())  # str.split also breaks at U+2028, U+0085, \x1c-\x1f ...
    return line.lstrip(SPEECH_MARK + " ") if line.startswith(SPEECH_MARK) else line


def render_event(e: Event, names: tuple[str, ...], max_chars: int) -> str:
    """One visible event as a prompt line: a speech line or a moderator line."""
    if e.kind in SPEECH_KINDS and e.actor is not None:
        return speech_line(names[e.actor], e.text, e.kind, max_chars)
    return fact_line(e.text)


def history(obs: Observation, cap: HistoryCap) -> tuple[str, str]:
    """(summary of earlier days, recent events in full): prompt size grows at most linearly."""
    # Role assignment lines are restated in the system prompt and private knowledge.
    events = [e for e in obs.events if e.kind not in ("your_role", "pack", "bid")]
    first_full_day = obs.day - cap.full_days
    old = [e for e in events if e.day < first_full_day]
    recent = [e for e in events if e.day >= first_full_day]
    if len(recent) > cap.max_recent:
        old, recent = old + recent[: -cap.max_recent], recent[-cap.max_recent :]
    lines: list[str] = []
    day = None
    for e in recent:
        if e.day != day:
            day = e.day
            lines.append(f"Day {day}:")
        lines.append(render_event(e, obs.names, cap.speech_chars))
    return summarise(old, obs.names, cap), "\n".join(lines)


def summarise(events: list[Event], names: tuple[str, ...], cap: HistoryCap) -> str:
    """Earlier days in order under a "Day N:" line each: consecutive moderator facts joined on
    one line ("a; b; c"), each speech excerpt on a speech line of its own."""
    lines: list[str] = []
    facts: list[str] = []

    def flush() -> None:
        if facts:
            lines.append("; ".join(facts))
            facts.clear()

    day = None
    for e in events:
        if e.day != day:
            flush()
            day = e.day
            lines.append(f"Day {day}:")
        if e.kind in SPEECH_KINDS and e.actor is not None:
            if cap.summary_speech_chars:
                flush()
                lines.append(speech_line(names[e.actor], e.text, e.kind, cap.summary_speech_chars))
        elif e.kind == "vote":
            facts.append(f"{names[e.actor]}→{names[e.target] if e.target is not None else NONE}")  # type: ignore[index]
        elif e.kind != "wolf_proposal" and (text := fact_line(e.text)):
            facts.append(text)
    flush()
    return "\n".join(lines)


def private_knowledge(obs: Observation) -> str:
    """Roles this player knows besides its own (pack mates, revealed dead)."""
    known = [
        f"{obs.names[s]} is a {r}" for s, r in sorted(obs.known_roles.items()) if s != obs.seat
    ]
    return "; ".join(known)


def instruction(obs: Observation) -> str:
    """What this turn asks for, in one sentence."""
    if obs.kind == "speak" and obs.phase == "last_words":
        return _INSTRUCTIONS["last_words"]
    if obs.kind == "speak":
        speeches = sum(
            1 for e in obs.events if e.kind == "speech" and e.day == obs.day and e.actor == obs.seat
        )
        return _INSTRUCTIONS["speak"].format(round=speeches + 1)
    return _INSTRUCTIONS.get(obs.kind, f"Decide: {obs.kind}.")


# ----- the answer schema ---------------------------------------------------------------------


class Answer(BaseModel):
    """Base of the per-turn answer models (fields are added by `answer_model`)."""

    model_config = ConfigDict(extra="ignore")
    # (choices, others, speech, bid, reasoning) of a turn's model: `json_schema` writes its
    # schema from this by hand instead of asking pydantic (~2 ms per new shape).
    shape: ClassVar[tuple[tuple[str, ...], tuple[str, ...], bool, bool, bool] | None] = None


def answer_fields(obs: Observation, ask_bid: bool, reasoning: bool = True) -> list[tuple[str, str]]:
    """(field, description) pairs shown in the prompt, in answer order."""
    others = [obs.names[s] for s in obs.living() if s != obs.seat]
    fields = [("reasoning", "a short private thought (never shown to anyone)")] if reasoning else []
    if obs.wants_speech:
        to = "your pack" if obs.kind == "kill" else "everyone"
        fields.append(("speech", f"what you say to {to} (a few sentences, not empty)"))
    if obs.legal_targets:
        choices = [obs.names[s] for s in obs.legal_targets] + ([NONE] if obs.may_abstain else [])
        fields.append(("target", "one of " + ", ".join(f'"{c}"' for c in choices)))
    if ask_bid:
        fields.append(("bid", "an integer 0-4: how eager you are to speak next"))
    if others:
        fields.append(
            (
                "beliefs",
                "an object giving, for each of "
                + ", ".join(others)
                + ", your probability (0 to 1) that they are a werewolf",
            )
        )
    return fields


def answer_model(obs: Observation, ask_bid: bool, reasoning: bool = True) -> type[Answer]:
    """This turn's answer model: legal target names as an enum, beliefs per other player."""
    choices = tuple(obs.names[s] for s in obs.legal_targets)
    if choices and obs.may_abstain:
        choices += (NONE,)
    others = tuple(obs.names[s] for s in obs.living() if s != obs.seat)
    return _answer_model(choices, others, obs.wants_speech, ask_bid, reasoning)


@lru_cache(maxsize=4096)
def _answer_model(
    choices: tuple[str, ...], others: tuple[str, ...], speech: bool, bid: bool, reasoning: bool
) -> type[Answer]:
    # pydantic model creation costs milliseconds; the same shapes recur every game.
    fields: dict[str, Any] = {}
    if reasoning:
        fields["reasoning"] = (str, Field(max_length=2000))
    if speech:
        fields["speech"] = (str, Field(min_length=1, max_length=2000))
    if choices:
        fields["target"] = (Literal[choices], ...)  # type: ignore[valid-type]
    if bid:
        fields["bid"] = (int, Field(ge=0, le=4))
    if others:
        fields["beliefs"] = (_beliefs_model(others), ...)
    model = create_model("TurnAnswer", __base__=Answer, **fields)  # type: ignore[call-overload]
    model.shape = (choices, others, speech, bid, reasoning)
    return model


@lru_cache(maxsize=1024)
def _beliefs_model(others: tuple[str, ...]) -> type[BaseModel]:
    # Far fewer distinct sets of other players than turn shapes: built once per set.
    probability = Field(ge=0, le=1, json_schema_extra={"enum": list(BELIEF_STEPS)})
    return create_model(  # type: ignore[call-overload]
        "Beliefs",
        __config__=ConfigDict(extra="forbid"),
        **{n: (float, probability) for n in others},
    )


def json_schema(model: type[BaseModel], max_chars: dict[str, int] | None = None) -> dict[str, Any]:
    """A flat JSON schema (no $ref, no titles, closed objects) that strict providers accept.

    With `max_chars` (grammar-backed servers) the model's declared lengths stay and the named
    top-level strings get these caps, so a grammar-constrained model closes its JSON in time;
    without it (strict hosted providers, which reject them) length keywords are dropped.
    Ranges are always dropped: grammars ignore them, so bounded values are enums instead.
    Turn answers (`answer_model`) are written by hand from their shape, equal to what pydantic
    generates (tests/test_transport_modes.py checks every shape); other models ask pydantic.
    """
    shape = getattr(model, "shape", None)
    if shape is not None:
        return answer_schema(*shape, max_chars=max_chars)
    return pydantic_schema(model, max_chars)


def answer_schema(
    choices: tuple[str, ...],
    others: tuple[str, ...],
    speech: bool,
    bid: bool,
    reasoning: bool,
    max_chars: dict[str, int] | None = None,
) -> dict[str, Any]:
    """`pydantic_schema` of `_answer_model(choices, others, speech, bid, reasoning)`, by hand.

    Same keys in the same order (llama.cpp's grammar follows the property order).
    """
    capped = max_chars is not None
    props: dict[str, Any] = {}
    if reasoning:
        props["reasoning"] = {"maxLength": 2000, "type": "string"} if capped else {"type": "string"}
    if speech:
        props["speech"] = (
            {"maxLength": 2000, "minLength": 1, "type": "string"} if capped else {"type": "string"}
        )
    if choices:
        # pydantic writes a one-name Literal as a const, which `pydantic_schema` makes an enum
        if len(choices) == 1:
            props["target"] = {"type": "string", "enum": list(choices)}
        else:
            props["target"] = {"enum": list(choices), "type": "string"}
    if bid:
        props["bid"] = {"type": "integer"}
    if others:
        props["beliefs"] = {
            "additionalProperties": False,
            "properties": {n: {"enum": list(BELIEF_STEPS), "type": "number"} for n in others},
            "required": list(others),
            "type": "object",
        }
    for name, limit in (max_chars or {}).items():
        if name in props:
            props[name] = {**props[name], "maxLength": limit}
    if not props:
        return {"properties": {}, "type": "object", "additionalProperties": False, "required": []}
    return {
        "properties": props,
        "required": list(props),
        "type": "object",
        "additionalProperties": False,
    }


def pydantic_schema(
    model: type[BaseModel], max_chars: dict[str, int] | None = None
) -> dict[str, Any]:
    """`json_schema` as pydantic generates it (any model; the reference for `answer_schema`)."""
    raw = model.model_json_schema()
    defs = raw.pop("$defs", {})
    dropped = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "default"]
    if max_chars is None:
        dropped += ["minLength", "maxLength", "minItems", "maxItems"]

    def clean(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return clean(defs[node["$ref"].rsplit("/", 1)[-1]])
            out = {k: clean(v) for k, v in node.items() if k not in ("title", "description")}
            for k in dropped:
                out.pop(k, None)
            if out.get("type") == "object":
                out["additionalProperties"] = False
                out["required"] = list(out.get("properties", {}))
            if "const" in out:  # a one-name Literal: keep it an enum, which grammars handle
                out["enum"] = [out.pop("const")]
            return out
        if isinstance(node, list):
            return [clean(v) for v in node]
        return node

    schema = clean(raw)
    for name, limit in (max_chars or {}).items():
        if name in schema["properties"]:
            schema["properties"][name]["maxLength"] = limit
    return schema


# ----- reading an answer ---------------------------------------------------------------------

MAX_ANSWER_CHARS = 50_000
_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL)


class AnswerError(ValueError):
    """The model's text is not a usable answer; the message is fed back to the model."""


def extract_json(text: str | None, expected: tuple[str, ...] = ()) -> dict[str, Any]:
    """The first JSON object in a model's text (code fences and chatter around it tolerated).

    Raw control characters inside strings are accepted (a grammar lets a model write a real
    newline in a speech). With `expected` field names, an object sharing none of them is not
    the answer (e.g. the beliefs object inside a broken answer); when the answer itself does
    not decode, the error says where, rather than blaming a missing field.
    """
    if not text or not text.strip():
        raise AnswerError("the answer was empty")
    text = text[:MAX_ANSWER_CHARS]  # bounded work whatever a model sends back
    candidates = [m.group(1) for m in _FENCE.finditer(text)] + [text]
    decoder = json.JSONDecoder(strict=False)
    first_error: json.JSONDecodeError | None = None
    other: dict[str, Any] | None = None
    for chunk in candidates:
        start = chunk.find("{")
        while start != -1:
            try:
                value, end = decoder.raw_decode(chunk, start)
            except RecursionError:
                raise AnswerError("the answer nested too deeply") from None
            except json.JSONDecodeError as exc:
                first_error = first_error or exc
                start = chunk.find("{", start + 1)
                continue
            if isinstance(value, dict):
                if not expected or set(value) & set(expected):
                    return value
                other = other or value
                start = chunk.find("{", end)
                continue
            start = chunk.find("{", start + 1)
    if first_error is not None:
        at = f"line {first_error.lineno}, column {first_error.colno}"
        raise AnswerError(f"the answer is not valid JSON: {first_error.msg} at {at}")
    if other is not None:
        return other  # valid JSON without the fields: validation names what is missing
    raise AnswerError("the answer contained no JSON object")


def answer_token_bound(schema: dict[str, Any]) -> int:
    """Tokens the longest answer a capped schema allows can take (one token per character).

    A grammar stops a capped string at its length, so with max_tokens at least this bound a
    grammar-constrained answer always closes its JSON. Uncapped strings count 0: no bound.
    """

    def size(node: Any) -> int:
        if not isinstance(node, dict):
            return 0
        if "enum" in node:
            return _widest(json.dumps(node["enum"])) + 1
        kind = node.get("type")
        if kind == "object":
            props = node.get("properties", {})
            return 2 + sum(len(k) + 5 + size(v) for k, v in props.items())
        if kind == "array":
            return 2 + node.get("maxItems", 1) * (size(node.get("items", {})) + 2)
        if kind == "string":
            return node.get("maxLength", 0) + 3
        if "anyOf" in node:
            return max(size(v) for v in node["anyOf"])
        return 24  # a number, integer, boolean or null

    return size(schema) + 16


@lru_cache(maxsize=1024)
def _widest(values: str) -> int:
    # The widest value of a JSON list: every belief of every shape has the same 21 steps,
    # measured once instead of 21 json.dumps per player per shape.
    return max((len(json.dumps(v)) for v in json.loads(values)), default=4)


def _name_of(value: Any, obs: Observation) -> Any:
    """Accept a seat number or a differently-cased name for a player; leave the rest alone."""
    if isinstance(value, int) and 0 <= value < len(obs.names):
        return obs.names[value]
    if isinstance(value, str):
        v = value.strip().strip('"').lower()
        if v.isdigit() and int(v) < len(obs.names):
            return obs.names[int(v)]
        for n in obs.names:
            if v == n.lower():
                return n
        if v in ("", "null", "abstain", "nobody", "no one"):
            return NONE
        return value.strip()
    if value is None:
        return NONE
    return value


def parse_answer(text: str | None, model: type[Answer], obs: Observation) -> Answer:
    """Validate a model's text against this turn's answer model, or raise AnswerError."""
    data = extract_json(text, tuple(model.model_fields))
    if "target" in data:
        data["target"] = _name_of(data["target"], obs)
    if isinstance(data.get("beliefs"), dict):
        fixed: dict[str, Any] = {}
        for k, v in data["beliefs"].items():
            if isinstance(v, dict):  # {"werewolf": p} per player is also fine
                v = v.get(WOLF, next(iter(v.values()), None))
            if isinstance(v, int | float) and not isinstance(v, bool) and 1 < v <= 100:
                v = v / 100  # small models often answer in percent (86 for 0.86)
            fixed[str(_name_of(k, obs))] = v
        data["beliefs"] = fixed
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise AnswerError(_short_errors(exc)) from None


def _short_errors(exc: ValidationError) -> str:
    parts = []
    for e in exc.errors()[:6]:
        where = ".".join(str(p) for p in e["loc"]) or "answer"
        parts.append(f"{where}: {e['msg']}")
    return "; ".join(parts)


def beliefs_of(answer: Answer, obs: Observation) -> dict[int, dict[str, float]]:
    """Seat -> {"werewolf": p} from an answer (validated into [0, 1] by the answer model)."""
    raw = getattr(answer, "beliefs", None)
    if raw is None:
        return {}
    seat = {n: s for s, n in enumerate(obs.names)}
    return {seat[n]: {WOLF: round(float(p), 4)} for n, p in raw.model_dump().items() if n in seat}


def target_of(answer: Answer, obs: Observation) -> int | None:
    """The target seat an answer chose, None for abstaining or no target asked."""
    name = getattr(answer, "target", None)
    if name is None or name == NONE:
        return None
    return obs.names.index(name)


def render_messages(
    obs: Observation,
    condition: str,
    framing: str,
    cap: HistoryCap,
    ask_bid: bool,
    reasoning: bool = True,
) -> list[dict[str, str]]:
    """The chat messages of one turn: system (rules, role, condition) and user (state, ask)."""
    roster = ", ".join(f"{k} ×{v}" for k, v in obs.roster.items() if v)
    system = _system(obs.name, obs.names, roster, obs.role, obs.team, condition, framing)
    summary, recent = history(obs, cap)
    user = (
        _env()
        .get_template("turn.j2")
        .render(
            summary=summary,
            recent=recent,
            private=private_knowledge(obs),
            alive=[obs.names[s] for s in obs.living()],
            dead=[obs.names[s] for s, a in enumerate(obs.alive) if not a],
            day=obs.day,
            instruction=instruction(obs),
            fields=answer_fields(obs, ask_bid, reasoning),
        )
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


@lru_cache(maxsize=1024)
def _system(
    me: str,
    names: tuple[str, ...],
    roster: str,
    role: str,
    team: str,
    condition: str,
    framing: str,
) -> str:
    # The same for every turn of a player in a game: rendered once, not per call.
    return (
        _env()
        .get_template("system.j2")
        .render(
            me=me,
            n_players=len(names),
            names=names,
            roster=roster,
            role=role,
            team=team,
            condition=condition,
            framing=framing,
        )
    )


def repair_message(error: str) -> dict[str, str]:
    """The user message that asks the model to fix an unusable answer."""
    return {"role": "user", "content": _env().get_template("repair.j2").render(error=error)}
