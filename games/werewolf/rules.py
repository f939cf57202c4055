"""Werewolf rules as a plain state machine: no PettingZoo, no agents, no storage.

The game script is a generator (`_script`) that reads like the rule book: it yields a
`Request` each time players must decide and receives their actions. `WerewolfGame.act`
validates one player's action, buffers it, and resumes the script once every seat of the
request has acted. Simultaneous requests (votes, night actions, bids) emit their events only
when all actions are in, so nobody sees another's choice before making their own.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Generator
from dataclasses import dataclass, field

from games.core.events import HIDDEN, PUBLIC, Event, EventLog, private, team
from games.werewolf.config import VILLAGE, WEREWOLVES, WerewolfConfig, team_of

MAX_BID = 4

# Phase names, also used in events and stored as-is.
NIGHT_WOLVES = "night_wolves"
NIGHT_ACTIONS = "night_actions"
DAY_BID = "day_bid"
DAY_SPEECH = "day_speech"
DAY_VOTE = "day_vote"
DAY_REVOTE = "day_revote"
LAST_WORDS = "last_words"
PHASES = (
    "setup",
    NIGHT_WOLVES,
    NIGHT_ACTIONS,
    "dawn",
    DAY_BID,
    DAY_SPEECH,
    DAY_VOTE,
    DAY_REVOTE,
    LAST_WORDS,
    "end",
)


class IllegalActionError(ValueError):
    """An action the rules do not allow; the game state is left unchanged."""


def name(seat: int) -> str:
    """Public name of a seat (also the PettingZoo agent id)."""
    return f"player_{seat}"


@dataclass(frozen=True, slots=True)
class Action:
    """One player's decision: a target seat (or None), public speech, and a bid."""

    target: int | None = None
    speech: str = ""
    bid: int | None = None


@dataclass(slots=True)
class Request:
    """Players who must decide now, and what they may choose."""

    phase: str
    seats: list[int]
    simultaneous: bool
    targets: dict[int, tuple[int, ...]] = field(default_factory=dict)
    may_abstain: bool = False
    speech: bool = False
    bid: bool = False

    @property
    def kind(self) -> str:
        """What the decision is about: speak, vote, kill, inspect, protect, bid."""
        return _REQUEST_KINDS.get(self.phase, self.phase)


_REQUEST_KINDS = {
    NIGHT_WOLVES: "kill",
    DAY_BID: "bid",
    DAY_SPEECH: "speak",
    DAY_VOTE: "vote",
    DAY_REVOTE: "vote",
    LAST_WORDS: "speak",
}

Script = Generator[Request, dict[int, Action], None]


class WerewolfGame:
    """One seeded game of Werewolf."""

    def __init__(self, config: WerewolfConfig | None = None, seed: int | None = None) -> None:
        self.config = config or WerewolfConfig()
        self.seed = seed
        self.rng = random.Random(seed)
        self.n = self.config.n_players
        roles = self.config.roster.roles()
        self.rng.shuffle(roles)
        self.roles: list[str] = roles
        self.teams: list[str] = [team_of(r) for r in roles]
        self.alive: list[bool] = [True] * self.n
        self.day = 0
        self.phase = "setup"
        self.winner: str | None = None  # "village", "werewolves" or "draw"
        self.log = EventLog(self.teams)
        self._last_protected: int | None = None
        self._buffer: dict[int, Action] = {}
        self._script: Script = self._play()
        self.request: Request | None = next(self._script)

    # ----- queries -------------------------------------------------------------------------
    @property
    def over(self) -> bool:
        """Whether the game has ended."""
        return self.request is None

    @property
    def events(self) -> list[Event]:
        """The full event log (ground truth included)."""
        return self.log.events

    def living(self) -> list[int]:
        """Seats still alive, in seat order."""
        return [s for s in range(self.n) if self.alive[s]]

    def wolves(self) -> list[int]:
        """Seats holding the werewolf role (alive or dead)."""
        return [s for s in range(self.n) if self.roles[s] == "werewolf"]

    def next_actor(self) -> int | None:
        """The seat that must act next (in seat order within a simultaneous request)."""
        if self.request is None:
            return None
        for seat in self.request.seats:
            if seat not in self._buffer:
                return seat
        raise AssertionError("request with every seat acted was not resolved")

    def pending(self) -> list[int]:
        """Seats of the current request that have not acted yet."""
        if self.request is None:
            return []
        return [s for s in self.request.seats if s not in self._buffer]

    def legal_targets(self, seat: int) -> tuple[int, ...]:
        """Target seats `seat` may choose now (empty when the decision has no target)."""
        if self.request is None:
            return ()
        return self.request.targets.get(seat, ())

    # ----- acting --------------------------------------------------------------------------
    def act(self, seat: int, action: Action) -> None:
        """Apply one player's action; raise IllegalActionError (state unchanged) if not allowed."""
        request = self.request
        if request is None:
            raise IllegalActionError("the game is over")
        if seat not in request.seats or seat in self._buffer:
            raise IllegalActionError(f"{name(seat)} may not act now (phase {request.phase})")
        if not request.simultaneous and seat != self.next_actor():
            raise IllegalActionError(
                f"it is {name(self.next_actor() or 0)}'s turn, not {name(seat)}'s"
            )
        target = action.target
        if seat in request.targets:
            if target is None and not request.may_abstain:
                raise IllegalActionError(f"{name(seat)} must choose a target in {request.phase}")
            if target is not None and target not in request.targets[seat]:
                allowed = ", ".join(name(t) for t in request.targets[seat])
                raise IllegalActionError(
                    f"{name(seat)} cannot target {_describe(target)} in {request.phase}; "
                    f"legal: {allowed}{' or none' if request.may_abstain else ''}"
                )
        elif target is not None:
            raise IllegalActionError(f"{request.phase} takes no target")
        if request.bid and (action.bid is None or not 0 <= action.bid <= MAX_BID):
            raise IllegalActionError(f"a bid must be an integer 0-{MAX_BID}, got {action.bid!r}")
        self._buffer[seat] = action
        if not request.simultaneous or len(self._buffer) == len(request.seats):
            actions, self._buffer = self._buffer, {}
            try:
                self.request = self._script.send(actions)
            except StopIteration:
                self.request = None

    # ----- the rule book -------------------------------------------------------------------
    def _play(self) -> Script:
        self._setup()
        while True:
            self.day += 1
            yield from self._night()
            if self._check_end():
                return
            yield from self._discussion()
            yield from self._vote()
            if self._check_end():
                return
            if self.day >= self.config.max_days:
                self._end("draw", f"The day limit ({self.config.max_days}) was reached: a draw.")
                return

    def _event(self, kind: str, visibility: str, text: str, **fields: object) -> Event:
        actor = fields.pop("actor", None)
        target = fields.pop("target", None)
        return self.log.add(self.day, self.phase, kind, visibility, text, actor, target, fields)  # type: ignore[arg-type]

    def _setup(self) -> None:
        for seat, role in enumerate(self.roles):
            self._event(
                "role_assignment",
                HIDDEN,
                f"{name(seat)} is a {role}.",
                target=seat,
                subject=seat,
                role=role,
                team=self.teams[seat],
            )
        for seat, role in enumerate(self.roles):
            self._event(
                "your_role",
                private(seat),
                f"You are {name(seat)}, a {role}.",
                target=seat,
                subject=seat,
                role=role,
                team=self.teams[seat],
            )
        wolves = self.wolves()
        self._event(
            "pack",
            team(WEREWOLVES),
            f"The werewolves are {_join(wolves)}.",
            members=wolves,
            role="werewolf",
        )

    def _night(self) -> Generator[Request, dict[int, Action], None]:
        living = self.living()
        prey = tuple(s for s in living if self.teams[s] != WEREWOLVES)
        proposals: dict[int, int] = {}
        self.phase = NIGHT_WOLVES
        for wolf in (s for s in living if self.teams[s] == WEREWOLVES):
            request = Request(NIGHT_WOLVES, [wolf], False, {wolf: prey}, speech=True)
            act = (yield request)[wolf]
            if act.speech:
                self._event("wolf_chat", team(WEREWOLVES), act.speech, actor=wolf)
            proposals[wolf] = act.target  # type: ignore[assignment]
            self._event(
                "wolf_proposal",
                team(WEREWOLVES),
                f"{name(wolf)} proposes to kill {name(act.target)}.",
                actor=wolf,
                target=act.target,
            )
        victim = self._plurality(list(proposals.values()))
        self._event(
            "wolf_choice", team(WEREWOLVES), f"The pack will kill {name(victim)}.", target=victim
        )

        self.phase = NIGHT_ACTIONS
        seer = next((s for s in living if self.roles[s] == "seer"), None)
        doctor = next((s for s in living if self.roles[s] == "doctor"), None)
        targets: dict[int, tuple[int, ...]] = {}
        if seer is not None:
            targets[seer] = tuple(s for s in living if s != seer)
        if doctor is not None:
            banned = None if self.config.doctor_may_repeat else self._last_protected
            targets[doctor] = tuple(s for s in living if s != banned)
        protected = None
        if targets:
            acts = yield Request(NIGHT_ACTIONS, sorted(targets), True, targets)
            if seer is not None:
                seen = acts[seer].target
                verdict = "werewolf" if self.roles[seen] == "werewolf" else "not a werewolf"  # type: ignore[index]
                self._event(
                    "inspection",
                    private(seer),
                    f"You inspected {name(seen)}: {verdict}.",
                    actor=seer,
                    target=seen,
                    subject=seen,
                    result=verdict,
                )
            if doctor is not None:
                protected = acts[doctor].target
                self._event(
                    "protection",
                    private(doctor),
                    f"You protect {name(protected)} tonight.",
                    actor=doctor,
                    target=protected,
                )
        self._last_protected = protected

        self.phase = "dawn"
        saved = victim == protected
        self._event(
            "night_resolution",
            HIDDEN,
            f"Werewolves attacked {name(victim)}; doctor protected {_describe(protected)}; "
            + ("the attack failed." if saved else f"{name(victim)} died."),
            target=victim,
            protected=protected,
            saved=saved,
        )
        if saved:
            self._event("dawn", PUBLIC, "Dawn: no one died last night.", died=None)
        else:
            self._kill(victim, "dawn", f"Dawn: {name(victim)} was killed during the night.")

    def _discussion(self) -> Generator[Request, dict[int, Action], None]:
        rounds = self.config.discussion_rounds
        if self.config.turn_taking == "round_robin":
            for rnd in range(rounds):
                living = self.living()
                shift = (self.day - 1) % len(living)
                for seat in living[shift:] + living[:shift]:
                    yield from self._speak(seat, DAY_SPEECH, rnd)
            return
        for slot in range(rounds * len(self.living())):
            self.phase = DAY_BID
            living = self.living()
            bids = yield Request(DAY_BID, living, True, bid=True)
            for seat in living:
                self._event(
                    "bid",
                    HIDDEN,
                    f"{name(seat)} bids {bids[seat].bid}.",
                    actor=seat,
                    bid=bids[seat].bid,
                    slot=slot,
                )
            top = max(a.bid or 0 for a in bids.values())
            speaker = self.rng.choice([s for s in living if bids[s].bid == top])
            yield from self._speak(speaker, DAY_SPEECH, slot // len(living))

    def _speak(
        self, seat: int, phase: str, rnd: int
    ) -> Generator[Request, dict[int, Action], None]:
        self.phase = phase
        act = (yield Request(phase, [seat], False, speech=True))[seat]
        kind = "last_words" if phase == LAST_WORDS else "speech"
        self._event(kind, PUBLIC, act.speech, actor=seat, round=rnd)

    def _vote(self) -> Generator[Request, dict[int, Action], None]:
        candidates = self.living()
        phase = DAY_VOTE
        while True:
            self.phase = phase
            voters = self.living()
            targets = {v: tuple(c for c in candidates if c != v) for v in voters}
            votes = yield Request(phase, voters, True, targets, may_abstain=True)
            for voter in voters:
                target = votes[voter].target
                text = (
                    f"{name(voter)} votes for {name(target)}."
                    if target is not None
                    else (f"{name(voter)} abstains.")
                )
                self._event("vote", PUBLIC, text, actor=voter, target=target)
            tally = Counter(a.target for a in votes.values() if a.target is not None)
            if not tally:
                self._event("vote_result", PUBLIC, "Everyone abstained: no one is eliminated.")
                return
            best = max(tally.values())
            tied = sorted(s for s, c in tally.items() if c == best)
            if len(tied) == 1:
                break
            if phase == DAY_VOTE and self.config.tie_rule == "revote":
                self._event(
                    "vote_result",
                    PUBLIC,
                    f"Tie between {_join(tied)}: revote among them.",
                    tied=tied,
                )
                candidates, phase = tied, DAY_REVOTE
                continue
            self._event(
                "vote_result",
                PUBLIC,
                f"Tie between {_join(tied)}: no one is eliminated.",
                tied=tied,
            )
            return
        loser = tied[0]
        self._event(
            "vote_result",
            PUBLIC,
            f"{name(loser)} is eliminated with {best} votes.",
            target=loser,
            votes=best,
        )
        yield from self._speak(loser, LAST_WORDS, 0)
        self._kill(loser, "elimination", f"{name(loser)} leaves the game.")

    # ----- helpers -------------------------------------------------------------------------
    def _plurality(self, targets: list[int]) -> int:
        tally = Counter(targets)
        best = max(tally.values())
        return self.rng.choice(sorted(t for t, c in tally.items() if c == best))

    def _kill(self, seat: int, kind: str, text: str) -> None:
        self.alive[seat] = False
        if self.config.reveal_role_on_death:
            self._event(
                kind,
                PUBLIC,
                f"{text} {name(seat)} was a {self.roles[seat]}.",
                target=seat,
                died=seat,
                subject=seat,
                role=self.roles[seat],
            )
        else:
            self._event(kind, PUBLIC, text, target=seat, died=seat)

    def _check_end(self) -> bool:
        wolves = sum(1 for s in self.living() if self.teams[s] == WEREWOLVES)
        others = len(self.living()) - wolves
        if wolves == 0:
            self._end(VILLAGE, "All werewolves are dead: the village wins.")
        elif wolves >= others:
            self._end(WEREWOLVES, "The werewolves are as many as the rest: the werewolves win.")
        return self.winner is not None

    def _end(self, winner: str, text: str) -> None:
        self.phase = "end"
        self.winner = winner
        self._event("game_over", PUBLIC, text, winner=winner)


def _join(seats: list[int]) -> str:
    names = [name(s) for s in seats]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _describe(seat: int | None) -> str:
    return "no one" if seat is None else name(seat)
