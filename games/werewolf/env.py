"""PettingZoo AEC glue around `rules.WerewolfGame`.

Agents are ``player_0 … player_{n-1}``. Only the seats the rules ask to decide are selected;
dead players stay in ``agents`` (never selected) so that they receive their team's reward
when the game ends, then every agent is terminated together.

Observation: ``Box(int16)`` vector ``[phase, day, seat, role, alive×n, known_role×n]`` (known
role 0 = unknown, else 1 + index in ``ROLES``), built only from events visible to the agent.
``info["observation"]`` holds the full typed `Observation` (visible events included) for
the agent to act, and ``info["action_mask"]`` a dict mask matching the action space.

Action: ``Dict(speech=Text, target=Discrete(n+1), bid=Discrete(5))``; target ``n`` means
none/abstain. Fields a phase does not use are ignored. Speech is normalised to the space's
charset. An illegal target raises ``IllegalActionError`` and leaves the game unchanged.

Reward: +1 to every member of the winning team, -1 to the losers, 0 on a draw, at the end.
The turn order is not parallelisable (speeches are sequential), but
``pending_agents()`` names the agents deciding simultaneously on the same information.

Version history: v0, first release.
"""

from __future__ import annotations

import random
from functools import cached_property
from typing import Any, ClassVar

import numpy as np
from gymnasium import spaces
from pettingzoo import AECEnv
from pettingzoo.utils import wrappers

from games.core.events import PUBLIC
from games.core.observation import SPEECH_CHARSET, SPEECH_MAX_CHARS, Observation, normalize_speech
from games.werewolf.config import ROLES, WerewolfConfig
from games.werewolf.rules import MAX_BID, NIGHT_ACTIONS, PHASES, Action, WerewolfGame, name

_NIGHT_KIND = {"seer": "inspect", "doctor": "protect"}


def env(**config: Any) -> AECEnv:
    """The Werewolf AEC environment with PettingZoo's standard order-enforcing wrapper."""
    return wrappers.OrderEnforcingWrapper(raw_env(**config))


class raw_env(AECEnv):
    """Werewolf as an AEC environment; see the module docstring for spaces and rewards."""

    metadata: ClassVar[dict] = {
        "name": "werewolf_v0",
        "render_modes": ["human", "ansi"],
        "is_parallelizable": False,
    }

    def __init__(
        self, config: WerewolfConfig | None = None, render_mode: str | None = None, **fields: Any
    ) -> None:
        super().__init__()
        if config is not None and fields:
            raise TypeError("pass either config= or config fields, not both")
        self.config = config or WerewolfConfig(**fields)
        self.render_mode = render_mode
        n = self.config.n_players
        self.possible_agents = [name(s) for s in range(n)]
        self._index = {a: s for s, a in enumerate(self.possible_agents)}
        self._names = tuple(self.possible_agents)
        self._roster = self.config.roster.model_dump()
        self._seeder = random.Random()
        self.game: WerewolfGame | None = None

    def observation_space(self, agent: str) -> spaces.Space:
        """Same vector space for every agent."""
        return self._obs_space

    def action_space(self, agent: str) -> spaces.Space:
        """Same dict space for every agent."""
        return self._act_space

    # Built on first use: the runner never asks for spaces, and the Text space's charset
    # table cost a tenth of a scripted game.
    @cached_property
    def _obs_space(self) -> spaces.Box:
        return spaces.Box(0, 1000, shape=(4 + 2 * self.config.n_players,), dtype=np.int16)

    @cached_property
    def _act_space(self) -> spaces.Dict:
        charset = "".join(sorted(SPEECH_CHARSET))
        return spaces.Dict(
            {
                "speech": spaces.Text(SPEECH_MAX_CHARS, min_length=0, charset=charset),
                "target": spaces.Discrete(self.config.n_players + 1),
                "bid": spaces.Discrete(MAX_BID + 1),
            }
        )

    # ----- lifecycle -----------------------------------------------------------------------
    def reset(self, seed: int | None = None, options: dict | None = None) -> None:
        """Start a new game; the same seed gives the same game."""
        if seed is not None:
            self._seeder.seed(seed)
        else:
            seed = self._seeder.randrange(2**31)
        self.game = WerewolfGame(self.config, seed)
        self.agents = self.possible_agents[:]
        self.rewards = {a: 0 for a in self.agents}
        self._cumulative_rewards = {a: 0 for a in self.agents}
        self.terminations = {a: False for a in self.agents}
        self.truncations = {a: False for a in self.agents}
        self.infos: dict[str, dict] = {a: {} for a in self.agents}
        self._known: list[dict[int, str]] = [{} for _ in self.agents]
        self._scanned = [0] * len(self.agents)
        self._rendered = 0
        self._obs_cache: dict[int, tuple[tuple[int, int], Observation]] = {}
        self._select()

    def step(self, action: dict | None) -> None:
        """Apply the selected agent's action (see the module docstring)."""
        agent = self.agent_selection
        if self.terminations[agent] or self.truncations[agent]:
            self._was_dead_step(action)
            return
        game = self._game()
        seat = self._index[agent]
        if not isinstance(action, dict):
            raise TypeError(
                f"{agent}: action must be a dict with speech/target/bid, got {action!r}"
            )
        target = action.get("target")
        target = None if target is None or int(target) == game.n else int(target)
        bid = action.get("bid")
        act = Action(
            target, normalize_speech(action.get("speech")), None if bid is None else int(bid)
        )
        self._cumulative_rewards[agent] = 0
        game.act(seat, act)
        if game.over:
            for a in self.agents:
                team = game.teams[self._index[a]]
                self.rewards[a] = 0 if game.winner == "draw" else (1 if team == game.winner else -1)
                self.terminations[a] = True
            self.agent_selection = self.agents[0]
            self._accumulate_rewards()
        else:
            self._select()
        if self.render_mode == "human":
            self.render()

    def observe(self, agent: str) -> np.ndarray:
        """Numeric observation of `agent`, from events visible to it only."""
        game = self._game()
        seat = self._index[agent]
        known = self._known_roles(seat)
        vec = np.zeros(4 + 2 * game.n, dtype=np.int16)
        vec[0] = PHASES.index(game.phase)
        vec[1] = game.day
        vec[2] = seat
        vec[3] = ROLES.index(game.roles[seat])
        vec[4 : 4 + game.n] = game.alive
        for s, role in known.items():
            vec[4 + game.n + s] = 1 + ROLES.index(role)
        return vec

    def render(self) -> str | None:
        """Public transcript since the last render ('human' prints it, 'ansi' returns it)."""
        game = self._game()
        new = [e for e in game.events[self._rendered :] if e.visibility == PUBLIC]
        self._rendered = len(game.events)
        text = "\n".join(
            f"[day {e.day} {e.phase}] "
            + (f"{name(e.actor)}: " if e.kind == "speech" else "")
            + e.text
            for e in new
            if e.actor is not None or e.kind != "speech"
        )
        if self.render_mode == "human":
            if text:
                print(text)
            return None
        return text

    def close(self) -> None:
        """Nothing to release."""

    # ----- what the runner needs beyond AEC --------------------------------------------------
    def pending_agents(self) -> list[str]:
        """Agents deciding now on the same information (one for speeches, many for votes)."""
        game = self._game()
        if game.request is None:
            return []
        if not game.request.simultaneous:
            return [self.agent_selection]
        return [name(s) for s in game.pending()]

    def observation_for(self, agent: str) -> Observation:
        """Typed observation for `agent` (the information barrier applied)."""
        game = self._game()
        seat = self._index[agent]
        request = game.request
        # The same observation is asked for by infos and by the runner; nothing it shows can
        # change until an event is logged or the request changes.
        key = (len(game.events), id(request))
        cached = self._obs_cache.get(seat)
        if cached is not None and cached[0] == key:
            return cached[1]
        obs = self._build_observation(game, seat, request)
        self._obs_cache[seat] = (key, obs)
        return obs

    def _build_observation(self, game: WerewolfGame, seat: int, request: Any) -> Observation:
        kind = request.kind if request else "none"
        if request is not None and request.phase == NIGHT_ACTIONS:
            kind = _NIGHT_KIND[game.roles[seat]]
        return Observation(
            game="werewolf",
            seat=seat,
            role=game.roles[seat],
            team=game.teams[seat],
            day=game.day,
            phase=game.phase,
            kind=kind,
            legal_targets=game.legal_targets(seat),
            may_abstain=bool(request and request.may_abstain),
            wants_speech=bool(request and request.speech),
            wants_bid=bool(request and request.bid),
            alive=tuple(game.alive),
            known_roles=dict(self._known_roles(seat)),
            events=tuple(game.log.by_seat[seat]),
            names=self._names,
            roster=self._roster,
        )

    def action_mask(self, agent: str) -> dict[str, Any]:
        """Dict mask matching the action space: legal targets (n = none) and bids."""
        game = self._game()
        seat = self._index[agent]
        target = np.zeros(game.n + 1, dtype=np.int8)
        legal = game.legal_targets(seat)
        target[list(legal)] = 1
        request = game.request
        if request is not None and (request.may_abstain or seat not in request.targets):
            target[game.n] = 1
        bid = np.ones(MAX_BID + 1, dtype=np.int8)
        if request is None or not request.bid:
            bid[1:] = 0
        return {"speech": None, "target": target, "bid": bid}

    # ----- internals -------------------------------------------------------------------------
    def _game(self) -> WerewolfGame:
        if self.game is None:
            raise RuntimeError("call reset() before using the environment")
        return self.game

    def _select(self) -> None:
        game = self._game()
        agent = name(game.next_actor())  # type: ignore[arg-type]
        self.agent_selection = agent
        self.infos[agent] = {
            "action_mask": self.action_mask(agent),
            "observation": self.observation_for(agent),
        }

    def _known_roles(self, seat: int) -> dict[int, str]:
        """Roles `seat` has learnt from its visible events (own role, pack, reveals)."""
        known = self._known[seat]
        visible = self._game().log.by_seat[seat]
        for event in visible[self._scanned[seat] :]:
            payload = event.payload
            if "role" in payload:
                if "members" in payload:
                    for member in payload["members"]:
                        known[member] = payload["role"]
                elif "subject" in payload:
                    known[payload["subject"]] = payload["role"]
        self._scanned[seat] = len(visible)
        return known


__all__ = ["env", "raw_env"]
