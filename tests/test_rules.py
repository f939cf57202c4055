"""Rule tests on the plain state machine (no PettingZoo, no agents)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from games.werewolf import Action, IllegalActionError, Roster, WerewolfConfig, WerewolfGame
from games.werewolf.rules import (
    DAY_BID,
    DAY_REVOTE,
    DAY_SPEECH,
    DAY_VOTE,
    NIGHT_ACTIONS,
    NIGHT_WOLVES,
)
from tests.helpers import play_rules


def roles_of(game: WerewolfGame, role: str) -> list[int]:
    return [s for s, r in enumerate(game.roles) if r == role]


def do_night(
    game: WerewolfGame, victim: int, inspect: int | None = None, protect: int | None = None
):
    """Wolves all pick `victim`; seer/doctor pick the given targets (or their first legal)."""
    assert game.request is not None and game.request.phase == NIGHT_WOLVES
    while game.request.phase == NIGHT_WOLVES:
        game.act(game.next_actor(), Action(victim, "pack talk"))
    assert game.request.phase == NIGHT_ACTIONS
    for seat in list(game.request.seats):
        legal = game.legal_targets(seat)
        wanted = inspect if game.roles[seat] == "seer" else protect
        game.act(seat, Action(wanted if wanted is not None else legal[0]))


def talk(game: WerewolfGame) -> None:
    while game.request is not None and game.request.phase == DAY_SPEECH:
        game.act(game.next_actor(), Action(None, "hello"))


def vote_all(game: WerewolfGame, choose) -> None:
    for seat in list(game.request.seats):
        game.act(seat, Action(choose(seat)))


def test_default_roster_is_seven_players():
    game = WerewolfGame(seed=1)
    assert sorted(game.roles) == sorted(["werewolf"] * 2 + ["seer", "doctor"] + ["villager"] * 3)
    assert game.request.phase == NIGHT_WOLVES


@pytest.mark.parametrize(
    "roster, message",
    [
        ({"werewolf": 0}, "at least one werewolf"),
        ({"werewolf": 3, "villager": 0}, "outnumber"),
        ({"seer": 2}, "less than or equal to 1"),
        ({"villager": -1}, "greater than or equal to 0"),
    ],
)
def test_bad_roster_is_a_clear_validation_error(roster, message):
    with pytest.raises(ValidationError, match=message):
        WerewolfConfig(roster=Roster(**roster))


def test_same_seed_same_deal_and_game():
    a = play_rules(WerewolfGame(seed=5), seed=9)
    b = play_rules(WerewolfGame(seed=5), seed=9)
    assert a.roles == b.roles
    assert [(e.kind, e.text, e.visibility) for e in a.events] == [
        (e.kind, e.text, e.visibility) for e in b.events
    ]


def test_night_kill_is_announced_and_role_revealed():
    game = WerewolfGame(seed=2)
    victim = roles_of(game, "villager")[0]
    doctor = roles_of(game, "doctor")[0]
    do_night(game, victim, protect=doctor)
    assert not game.alive[victim]
    dawn = [e for e in game.events if e.kind == "dawn"][-1]
    assert dawn.visibility == "public"
    assert f"player_{victim} was killed" in dawn.text and "was a villager" in dawn.text


def test_doctor_save_means_no_death():
    game = WerewolfGame(seed=2)
    victim = roles_of(game, "villager")[0]
    do_night(game, victim, protect=victim)
    assert all(game.alive)
    assert [e for e in game.events if e.kind == "dawn"][-1].text == "Dawn: no one died last night."
    resolution = [e for e in game.events if e.kind == "night_resolution"][-1]
    assert resolution.visibility == "hidden" and resolution.payload["saved"] is True


def test_doctor_cannot_protect_same_player_twice_in_a_row():
    game = WerewolfGame(WerewolfConfig(discussion_rounds=0), seed=2)
    doctor = roles_of(game, "doctor")[0]
    villagers = roles_of(game, "villager")
    do_night(game, villagers[0], protect=doctor)
    vote_all(game, lambda s: None)  # everyone abstains: no elimination
    while game.request.phase == NIGHT_WOLVES:
        game.act(game.next_actor(), Action(villagers[1]))
    assert doctor not in game.legal_targets(doctor)
    with pytest.raises(IllegalActionError, match="cannot target"):
        game.act(doctor, Action(doctor))


def test_doctor_may_repeat_when_configured():
    game = WerewolfGame(WerewolfConfig(discussion_rounds=0, doctor_may_repeat=True), seed=2)
    doctor = roles_of(game, "doctor")[0]
    villagers = roles_of(game, "villager")
    do_night(game, villagers[0], protect=doctor)
    vote_all(game, lambda s: None)
    while game.request.phase == NIGHT_WOLVES:
        game.act(game.next_actor(), Action(villagers[1]))
    assert doctor in game.legal_targets(doctor)


def test_seer_result_is_private_and_correct():
    game = WerewolfGame(seed=3)
    seer = roles_of(game, "seer")[0]
    wolf = roles_of(game, "werewolf")[0]
    do_night(game, roles_of(game, "villager")[0], inspect=wolf)
    inspection = next(e for e in game.events if e.kind == "inspection")
    assert inspection.visibility == f"private:{seer}"
    assert inspection.payload["result"] == "werewolf"
    assert all(inspection not in game.log.by_seat[s] for s in range(game.n) if s != seer)


def test_split_wolf_vote_is_broken_by_seeded_rng():
    outcomes = set()
    for seed in range(20):
        game = WerewolfGame(seed=seed)
        prey = [s for s in range(game.n) if game.roles[s] != "werewolf"]
        first = True
        while game.request.phase == NIGHT_WOLVES:
            game.act(game.next_actor(), Action(prey[0] if first else prey[1]))
            first = False
        choice = next(e for e in game.events if e.kind == "wolf_choice").target
        assert choice in prey[:2]
        outcomes.add(choice == prey[0])
    assert outcomes == {True, False}


def test_speaking_order_rotates_by_day():
    game = WerewolfGame(WerewolfConfig(discussion_rounds=1), seed=4)
    doctor = roles_of(game, "doctor")[0]
    do_night(game, doctor, protect=doctor)  # saved: everyone alive
    first_day = []
    while game.request.phase == DAY_SPEECH:
        first_day.append(game.next_actor())
        game.act(first_day[-1], Action(None, "hi"))
    assert first_day == list(range(7))
    vote_all(game, lambda s: None)
    villagers = roles_of(game, "villager")
    while game.request.phase == NIGHT_WOLVES:
        game.act(game.next_actor(), Action(villagers[0]))
    for seat in list(game.request.seats):
        legal = game.legal_targets(seat)
        game.act(seat, Action(villagers[0] if villagers[0] in legal else legal[0]))
    second_day = []
    while game.request.phase == DAY_SPEECH:
        second_day.append(game.next_actor())
        game.act(second_day[-1], Action(None, "hi"))
    living = game.living()
    assert second_day == living[1:] + living[:1]


def test_plurality_eliminates_and_last_words_follow():
    game = WerewolfGame(WerewolfConfig(discussion_rounds=0), seed=6)
    doctor = roles_of(game, "doctor")[0]
    do_night(game, doctor, protect=doctor)
    target = roles_of(game, "villager")[0]
    vote_all(game, lambda s: target if s != target else roles_of(game, "villager")[1])
    assert game.request.phase == "last_words" and game.request.seats == [target]
    game.act(target, Action(None, "I was innocent."))
    assert not game.alive[target]
    kinds = [e.kind for e in game.events[-4:]]
    assert kinds[-2:] == ["last_words", "elimination"]


def test_tie_eliminates_no_one_by_default():
    game = WerewolfGame(WerewolfConfig(discussion_rounds=0), seed=6)
    doctor = roles_of(game, "doctor")[0]
    do_night(game, doctor, protect=doctor)
    a, b = roles_of(game, "villager")[:2]
    others = [s for s in game.request.seats if s not in (a, b)]
    plan = {a: b, b: a, others[0]: a, others[1]: b}  # 2-2 between a and b, the rest abstain
    vote_all(game, plan.get)
    result = [e for e in game.events if e.kind == "vote_result"][-1]
    assert "no one is eliminated" in result.text
    assert all(game.alive)


def test_tie_revote_among_the_tied():
    game = WerewolfGame(WerewolfConfig(discussion_rounds=0, tie_rule="revote"), seed=6)
    doctor = roles_of(game, "doctor")[0]
    do_night(game, doctor, protect=doctor)
    a, b = roles_of(game, "villager")[:2]
    others = [s for s in game.request.seats if s not in (a, b)]
    vote_all(game, {a: b, b: a, others[0]: a, others[1]: b}.get)
    assert game.request.phase == DAY_REVOTE
    for seat in game.request.seats:
        assert set(game.legal_targets(seat)) <= {a, b}
    vote_all(game, lambda s: b if s != b else a)
    assert game.request.phase == "last_words" and game.request.seats == [b]


def test_roles_hidden_on_death_when_configured():
    game = WerewolfGame(WerewolfConfig(reveal_role_on_death=False), seed=2)
    victim = roles_of(game, "villager")[0]
    do_night(game, victim, protect=roles_of(game, "doctor")[0])
    dawn = [e for e in game.events if e.kind == "dawn"][-1]
    assert "villager" not in dawn.text and "role" not in dawn.payload


def test_village_wins_when_wolves_dead_and_wolves_win_at_parity():
    for seed in range(200):
        game = play_rules(WerewolfGame(seed=seed), seed)
        wolves = sum(1 for s in game.living() if game.roles[s] == "werewolf")
        others = len(game.living()) - wolves
        if game.winner == "village":
            assert wolves == 0
        elif game.winner == "werewolves":
            assert wolves >= others
        else:
            assert game.winner == "draw" and game.day == game.config.max_days
        assert game.events[-1].kind == "game_over"


def test_day_cap_is_a_draw():
    game = WerewolfGame(WerewolfConfig(max_days=1, discussion_rounds=0), seed=2)
    doctor = roles_of(game, "doctor")[0]
    do_night(game, doctor, protect=doctor)
    vote_all(game, lambda s: None)
    assert game.over and game.winner == "draw"


def test_illegal_actions_raise_and_leave_state_unchanged():
    game = WerewolfGame(seed=1)
    wolf = game.next_actor()
    other_wolf = next(s for s in roles_of(game, "werewolf") if s != wolf)
    before = (len(game.events), game.request.phase, game.next_actor())
    with pytest.raises(IllegalActionError, match="cannot target"):
        game.act(wolf, Action(other_wolf))
    with pytest.raises(IllegalActionError, match="must choose a target"):
        game.act(wolf, Action(None))
    with pytest.raises(IllegalActionError, match="may not act now"):
        game.act(roles_of(game, "villager")[0], Action(wolf))
    assert (len(game.events), game.request.phase, game.next_actor()) == before


def test_bidding_picks_highest_bidder_and_logs_every_bid():
    game = WerewolfGame(WerewolfConfig(turn_taking="bidding", discussion_rounds=1), seed=2)
    doctor = roles_of(game, "doctor")[0]
    do_night(game, doctor, protect=doctor)
    assert game.request.phase == "day_bid"
    bids = {s: (4 if s == 3 else 1) for s in game.request.seats}
    for seat in game.request.seats:
        game.act(seat, Action(None, "", bids[seat]))
    logged = [e for e in game.events if e.kind == "bid"]
    assert {e.actor: e.payload["bid"] for e in logged} == bids
    assert game.request.phase == DAY_SPEECH and game.request.seats == [3]
    game2 = WerewolfGame(WerewolfConfig(turn_taking="bidding"), seed=2)
    do_night(game2, roles_of(game2, "doctor")[0], protect=roles_of(game2, "doctor")[0])
    assert game2.request.phase == DAY_BID
    with pytest.raises(IllegalActionError, match="a bid must be an integer 0-4"):
        game2.act(game2.request.seats[0], Action(None, "", 9))


def test_vote_is_simultaneous_no_vote_event_before_all_voted():
    game = WerewolfGame(WerewolfConfig(discussion_rounds=0), seed=6)
    doctor = roles_of(game, "doctor")[0]
    do_night(game, doctor, protect=doctor)
    assert game.request.phase == DAY_VOTE and game.request.simultaneous
    seats = list(game.request.seats)
    game.act(seats[0], Action(None))
    assert not [e for e in game.events if e.kind == "vote"]
    for seat in seats[1:]:
        game.act(seat, Action(None))
    assert len([e for e in game.events if e.kind == "vote"]) == len(seats)
