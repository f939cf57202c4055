"""The hand-labelled gold sets, how extraction is scored against them, and the extractor's floors.

analysis/gold_data/dev.json is the tuning part; analysis/gold_data/test.json is frozen: its hash is
pinned here, and only `test_test_part_meets_the_target` reads it: it was scored once, on
2026-11-28 at commit d862788, for the figures the README reports, and its floors now only
stop a change from making the rules worse there (nothing was or may be tuned on it). Labels
of both old and new sets are checked in test_analysis_labels.py.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from analysis.claims import CLAIM_TYPES, ExtractedClaim, Utterance, extractor_named
from analysis.gold import (
    GOLD_DEV_PATH,
    GOLD_PATH,
    GOLD_TEST_PATH,
    Gold,
    bootstrap_weights,
    cohen_kappa,
    cross_validate,
    load_gold,
    merge_gold,
    scenario_folds,
    score_extractor,
    score_found,
)
from analysis.labels import LABELS
from analysis.rules import RuleExtractor
from vocab import CLAIM_VALUES

# The frozen test part, by the hash computed when it was split (sha256sum, not Python).
TEST_PART_SHA256 = "2763953009252b7095f8bca4e8218919c4033fc1f220cc3af544bb14797a210c"

# Dev floors sit a little under the measured figures (rules, in sample on dev.json's 753
# utterances: kappa 0.931, micro precision 0.978 / recall 0.890, per type precision >= 0.929
# and recall >= 0.853), so a regression fails while a harmless change of a pattern does not.
# In sample: the rules were written looking at dev; the out-of-sample figures (each dev-only
# author scored untouched before anything was tuned on it) are in the README (Validation).
DEV_KAPPA_FLOOR = 0.92
DEV_PRECISION_FLOOR = 0.97
DEV_RECALL_FLOOR = 0.88
DEV_TYPE_PRECISION_FLOOR = 0.90
DEV_TYPE_RECALL_FLOORS = {
    "role_claim": 0.89, "accusation": 0.84, "defence": 0.88, "inspection_claim": 0.87,
    "vote_claim": 0.95, "night_claim": 0.89, "plan": 0.84,
}  # fmt: skip
# The older set (analysis/gold_data/gold_claims.json, extra dev data): kappa 0.957, recall 0.932.
OLD_KAPPA_FLOOR = 0.93
OLD_RECALL_FLOOR = 0.90

# The test part, scored twice in all, each time after changes tuned on dev only:
# 1. rules alone (2026-11-28, first session): kappa 0.864 [0.841, 0.885], precision 0.959,
#    recall 0.791 [0.759, 0.823] -- the recall target (0.85) missed; the rules still read
#    exactly this today (the idioms added for writer-e/-d moved no test figure).
# 2. the default, rules + model (2026-11-28, 18:10): kappa 0.883 [0.862, 0.901], precision
#    0.911 [0.887, 0.932], recall 0.859 [0.831, 0.884] -- every target met (kappa >= 0.85,
#    recall >= 0.85 at precision >= 0.90). Floors are the measured figures, rounded down.
TEST_KAPPA_FLOOR = 0.86
TEST_RECALL_FLOOR = 0.79
TEST_PRECISION_FLOOR = 0.95
HYBRID_TEST_KAPPA_FLOOR = 0.88
HYBRID_TEST_RECALL_FLOOR = 0.85
HYBRID_TEST_PRECISION_FLOOR = 0.91

VALUES = {kind: set(values) for kind, values in CLAIM_VALUES.items()}


@pytest.fixture(scope="module")
def dev() -> Gold:
    return load_gold(GOLD_DEV_PATH)


def test_the_frozen_test_part_is_unchanged():
    """Any edit of the test part (re-labelling, adding, removing) changes its hash."""
    digest = hashlib.sha256(GOLD_TEST_PATH.read_bytes()).hexdigest()
    assert digest == TEST_PART_SHA256, "analysis/gold_data/test.json is frozen: do not edit it"


def test_dev_part_is_large_varied_and_well_formed(dev):
    assert len(dev.utterances) >= 400
    assert len({u["id"] for u in dev.utterances}) == len(dev.utterances)
    authors = {dev.author_of(s) for s in dev.scenarios}
    # The three annotators of the split, and the dev-only ones who wrote after the test part
    # was first scored (writer-e, writer-d): all briefed with GUIDELINES.md alone.
    assert {"writer-a", "writer-b", "writer-c", "writer-e"} <= authors
    seats = {len(sc["roles"]) for sc in dev.scenarios.values()}
    assert seats <= {7, 8, 9} and len(seats) > 1
    claims = [c for u in dev.utterances for c in u["claims"]]
    assert {c["type"] for c in claims} == set(CLAIM_TYPES)
    assert {c["label"] for c in claims} == set(LABELS)
    for u in dev.utterances:
        n = len(dev.scenarios[u["scenario"]]["roles"])
        assert 0 <= u["speaker"] < n and u["phase"] in ("day_speech", "last_words")
        for c in u["claims"]:
            assert c["value"] in VALUES[c["type"]], (u["id"], c)
            assert c["subject"] is None or 0 <= c["subject"] < n
    assert sum(not u["claims"] for u in dev.utterances) >= len(dev.utterances) / 10


def test_rule_extractor_meets_its_floors_on_the_dev_part(dev):
    scores = score_extractor(RuleExtractor(), dev)
    table = scores.per_type.round(3).to_string()
    print(f"\nrules on dev: {scores.summary()}\n{table}")
    assert scores.kappa >= DEV_KAPPA_FLOOR, table
    assert scores.precision >= DEV_PRECISION_FLOOR, table
    assert scores.recall >= DEV_RECALL_FLOOR, table
    assert (scores.per_type["precision"] >= DEV_TYPE_PRECISION_FLOOR).all(), table
    floors = scores.per_type["claim_type"].map(DEV_TYPE_RECALL_FLOORS)
    assert (scores.per_type["recall"] >= floors).all(), table
    assert scores.hedge_agreement >= 0.90


def test_rule_extractor_meets_its_floors_on_the_older_set():
    scores = score_extractor(RuleExtractor(), load_gold(GOLD_PATH), reps=200)
    assert scores.kappa >= OLD_KAPPA_FLOOR, scores.per_type.round(3).to_string()
    assert scores.recall >= OLD_RECALL_FLOOR and scores.precision >= 0.93


def test_test_part_meets_the_target():
    """The figures the README reports: the frozen test part, never tuned on."""
    test = load_gold(GOLD_TEST_PATH)
    scores = score_extractor(RuleExtractor(), test)
    print(f"\nrules on the TEST part: {scores.summary()}\n{scores.per_type.round(3).to_string()}")
    by_scenario = score_extractor(RuleExtractor(), test, by="scenario")
    print(f"(resampling scenarios instead: {by_scenario.summary()})")
    assert scores.kappa >= TEST_KAPPA_FLOOR
    assert scores.recall >= TEST_RECALL_FLOOR
    assert scores.precision >= TEST_PRECISION_FLOOR


def test_the_default_extractor_meets_the_targets_on_the_test_part():
    """Rules + model, the default reader: the README's test-part figures."""
    test = load_gold(GOLD_TEST_PATH)
    scores = score_extractor(extractor_named(), test)
    print(f"\n{scores.summary()}\n{scores.per_type.round(3).to_string()}")
    assert scores.kappa >= HYBRID_TEST_KAPPA_FLOOR
    assert scores.recall >= HYBRID_TEST_RECALL_FLOOR
    assert scores.precision >= HYBRID_TEST_PRECISION_FLOOR


# ----- the mechanisms the rules rely on, on sentences written for this test ------------------
W, C = "werewolf", "not a werewolf"
MECHANISMS = [  # (speech, speaker, expected (type, subject, value)), by hand
    ("I checked player_4 last night. She's a werewolf.", 2,  # result in the next sentence
     [("inspection_claim", 4, W)]),
    ("player_3 is a wolf — I checked her myself.", 2, [("inspection_claim", 3, W)]),  # before
    ("p6 and p0 both pushing me outta nowhere, they could be partners", 1,  # plural pronoun
     [("accusation", 6, W), ("accusation", 0, W)]),
    ("player_1, player_2 and player_4 are all village.", 0,  # a list: one claim each
     [("defence", 1, C), ("defence", 2, C), ("defence", 4, C)]),
    ("player_3 is a wolf and so is player_5.", 0, [("accusation", 3, W), ("accusation", 5, W)]),
    ("Sorry, player_1, but you're a wolf.", 0, [("accusation", 1, W)]),  # "you" = addressed
    ("p2 you're overreacting, classic wolf", 5, [("accusation", 2, W)]),
    ("p3 youre the wolf, its obvious", 5, [("accusation", 3, W)]),  # no apostrophe
    ("Player 3 seems off to me, P4 is sus, and honestly player5 is 100% wolf.", 0,  # names
     [("accusation", 3, W), ("accusation", 4, W), ("accusation", 5, W)]),
    ("I'm just a plain villager at heart, and I'm actually the seer.", 0,  # modifiers
     [("role_claim", 0, "villager"), ("role_claim", 0, "seer")]),
    ("im voting p6. p0 tomorrow if we're all still here", 1,  # plans, casual
     [("plan", 6, "intent"), ("plan", 0, "intent")]),
    ("the wolves are gonna eat p4 tonight, watch", 1, [("plan", 4, "prediction")]),
    ("I voted p0 and then p6, you guys are messing this up.", 3,
     [("vote_claim", 0, "last"), ("vote_claim", 6, "last")]),
    ("I bet they came for me last night.", 3, [("night_claim", 3, "attacked")]),
    ("n1: p3, clean. n2: p5, wolf.", 2,  # reported results, where inspections are spoken of
     [("inspection_claim", 3, C), ("inspection_claim", 5, W)]),
    ("one of p0 and p6 is a wolf for sure", 1, [("accusation", None, W)]),  # no single subject
    ("player_4 says player_0 is a wolf; I don't buy it.", 1, []),  # reported, not asserted
    ("If player_2 is the seer, then player_5 is a wolf.", 1, []),  # a conditional
    ("Oh, sure, player_6 is totally the seer.", 1, []),  # sarcasm: no role asserted
]  # fmt: skip


# The examples of analysis/gold_data/GUIDELINES.md (what the annotators were shown), as read.
GUIDELINE_EXAMPLES = [
    ("I'm just a plain villager", [("role_claim", 0, "villager")]),
    ("I'm town", [("role_claim", 0, "village")]),
    ("player_2 is our doctor", [("role_claim", 2, "doctor")]),
    ("player_2 seems off to me", [("accusation", 2, W)]),
    ("you're the wolf, player_4", [("accusation", 4, W)]),
    ("the second wolf is player_1", [("accusation", 1, W)]),
    ("player_3 is on our side", [("defence", 3, C)]),
    ("I don't think player_3 is a wolf", [("defence", 3, C)]),
    ("I checked player_4 last night, she came back clean", [("inspection_claim", 4, C)]),
    ("I inspected player_4. Wolf.", [("inspection_claim", 4, W)]),
    ("my last vote was on player_4", [("vote_claim", 4, "last")]),
    ("the wolves went for player_3 last night", [("night_claim", 3, "attacked")]),
    ("the wolves will go for the seer tonight", [("plan", None, "prediction")]),
    ("I'm the seer, player_4 is a wolf — I checked her",
     [("role_claim", 0, "seer"), ("inspection_claim", 4, W)]),
    ("Oh sure, player_3 is *totally* innocent", [("accusation", 3, W)]),
    ("player_3 is as clean as a whistle", [("defence", 3, C)]),
    ("player_2 is a fake seer, so a wolf", [("accusation", 2, W)]),
    ("player_2 is not the real seer", []),
    ("player_4 told us she is clean", []),
    ("one of those two is a wolf", [("accusation", None, W)]),
    ("somebody here is the doctor", [("role_claim", None, "doctor")]),
]  # fmt: skip


@pytest.mark.parametrize(
    "speech, expected", GUIDELINE_EXAMPLES, ids=[g[0][:32] for g in GUIDELINE_EXAMPLES]
)
def test_rules_read_the_guidelines_examples(speech, expected):
    names = tuple(f"player_{i}" for i in range(8))
    (found,) = RuleExtractor().extract([Utterance(speech, 0, names)])
    assert [(c.type, c.subject, c.value) for c in found] == expected


@pytest.mark.parametrize(
    "speech, speaker, expected", MECHANISMS, ids=[m[0][:32] for m in MECHANISMS]
)
def test_rule_mechanisms_on_hand_written_sentences(speech, speaker, expected):
    names = tuple(f"player_{i}" for i in range(8))
    (found,) = RuleExtractor().extract([Utterance(speech, speaker, names)])
    assert [(c.type, c.subject, c.value) for c in found] == expected


# ----- the scoring itself, on cases worked by hand ------------------------------------------
def _tiny(claims_per_utterance: list[list[dict]], scenario_of: list[str] | None = None) -> Gold:
    roles = ["villager", "werewolf", "seer", "villager", "doctor", "werewolf", "villager"]
    scenario_of = scenario_of or ["S"] * len(claims_per_utterance)
    scenarios = {s: {"roles": roles, "author": f"w-{s}"} for s in scenario_of}
    utterances = [
        {"id": f"{s}-{k}", "scenario": s, "day": 1, "phase": "day_speech", "speaker": 0,
         "text": "…", "claims": cs}
        for k, (cs, s) in enumerate(zip(claims_per_utterance, scenario_of, strict=True))
    ]  # fmt: skip
    return Gold(scenarios, utterances, "tiny")


def _c(kind: str, subject: int | None, value: str, hedged: bool = False) -> dict:
    return {"type": kind, "subject": subject, "value": value, "hedged": hedged}


def test_cohen_kappa_reference_values():
    # Two raters, 10 items: agree on 8; marginals a = 6 yes / 4 no, b = 4 yes / 6 no.
    a = ["y"] * 6 + ["n"] * 4
    b = ["y"] * 4 + ["n"] * 2 + ["n"] * 4
    assert cohen_kappa(a, b) == pytest.approx((0.8 - 0.48) / (1 - 0.48))
    assert cohen_kappa(a, a) == 1.0


def test_a_hedge_does_not_decide_agreement_but_is_scored_on_its_own():
    """Same (type, subject, value), other hedge flag: a match, and a hedge disagreement."""
    gold = _tiny(
        [[_c("accusation", 1, "werewolf", hedged=True)], [_c("defence", 3, "not a werewolf")]]
    )
    found = [[ExtractedClaim("accusation", 1, "werewolf", False)],
             [ExtractedClaim("defence", 3, "not a werewolf", False)]]  # fmt: skip
    s = score_found(gold, found, reps=0)
    assert s.kappa == 1.0 and s.precision == 1.0 and s.recall == 1.0
    assert s.hedge_agreement == 0.5 and s.matched == 2


def test_kappa_units_are_type_and_subject_slots_valued_by_their_values():
    """Worked by hand: 2 utterances x 7 types x (None + 7 seats) = 112 slots.

    Gold: accusation of 1 (utterance 0), role_claim seer of 0 (utterance 1). Found: the
    accusation, and role_claim doctor of 0 (wrong value). Observed agreement 111/112; the
    marginals: gold none 110, werewolf 1, seer 1; found none 110, werewolf 1, doctor 1, so
    chance = (110*110 + 1*1) / 112^2.
    """
    gold = _tiny([[_c("accusation", 1, "werewolf")], [_c("role_claim", 0, "seer")]])
    found = [[ExtractedClaim("accusation", 1, "werewolf")],
             [ExtractedClaim("role_claim", 0, "doctor")]]  # fmt: skip
    s = score_found(gold, found, reps=0)
    chance = (110 * 110 + 1) / 112**2
    assert s.kappa == pytest.approx((111 / 112 - chance) / (1 - chance))
    assert s.precision == 0.5 and s.recall == 0.5
    row = s.per_type.set_index("claim_type").loc["role_claim"]
    assert (row["gold"], row["found"], row["matched"]) == (1, 1, 0)


def test_bootstrap_intervals_hold_the_point_and_resample_the_unit_asked_for():
    gold = _tiny(
        [[_c("accusation", 1, "werewolf")]] * 6 + [[_c("defence", 3, "not a werewolf")]] * 6,
        scenario_of=["A"] * 4 + ["B"] * 4 + ["C"] * 4,
    )
    # Right on every accusation, silent on every defence: recall 0.5, precision 1.
    found = [[ExtractedClaim("accusation", 1, "werewolf")]] * 6 + [[]] * 6
    s = score_found(gold, found, reps=500, seed=1)
    lo, hi = s.intervals["recall"]
    assert lo < 0.5 < hi and s.intervals["precision"] == (1.0, 1.0)
    assert s.resampled == "utterances"
    w = bootstrap_weights(gold, reps=50, by="scenario", seed=2)
    # Whole scenarios are drawn: the four utterances of a scenario always weigh the same.
    for block in (slice(0, 4), slice(4, 8), slice(8, 12)):
        assert (w[:, block] == w[:, block][:, :1]).all()
    assert (w.sum(axis=1) == 12).all()
    u = bootstrap_weights(gold, reps=50, by="utterance", seed=2)
    assert (u.sum(axis=1) == 12).all() and not (u[:, 0:4] == u[:, 0:1]).all()
    with pytest.raises(ValueError):
        bootstrap_weights(gold, by="claim")


def test_cross_validation_reads_each_utterance_once_with_a_model_fitted_without_its_fold(dev):
    folds = scenario_folds(dev)
    assert sorted(s for f in folds for s in f) == sorted(dev.scenarios)
    assert all(1 <= len(f) <= 2 for f in folds) and sum(len(f) == 2 for f in folds) >= 4
    # Folds mix authors: no fold holds two scenarios by the same annotator.
    assert all(len({dev.author_of(s) for s in f}) == len(f) for f in folds)
    seen: list[set[str]] = []

    class Spy:
        name = "spy"

        def __init__(self, train: Gold) -> None:
            self.train = set(train.scenarios)

        def extract(self, utterances):
            seen.append(self.train)
            return RuleExtractor().extract(utterances)

    pooled, per_fold = cross_validate(Spy, dev, reps=0)
    assert len(per_fold) == len(folds) == len(seen)
    for fold, train in zip(folds, seen, strict=True):
        assert not set(fold) & train and set(fold) | train == set(dev.scenarios)
    whole = score_extractor(RuleExtractor(), dev, reps=0)
    assert pooled.kappa == pytest.approx(whole.kappa)  # rules fit nothing: same readings


def test_gold_files_merge_and_split_by_scenario(dev):
    old = load_gold(GOLD_PATH)
    both = merge_gold(dev, old)
    assert len(both.utterances) == len(dev.utterances) + len(old.utterances)
    assert {both.author_of(s) for s in both.scenarios} >= {"writer-a", "writer-b", "writer-c"}
    part = dev.subset(["WA2"])
    assert {u["scenario"] for u in part.utterances} == {"WA2"} and list(part.scenarios) == ["WA2"]
    assert np.isclose(
        sum(len(u["claims"]) for u in part.utterances),
        sum(len(u["claims"]) for u in dev.utterances if u["scenario"] == "WA2"),
    )
