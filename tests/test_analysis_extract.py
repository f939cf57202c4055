"""The rule extractor on hand-written sentences: plans and predictions are claims (DESIGN)."""

from __future__ import annotations

import pytest

from analysis.claims import Utterance
from analysis.rules import RuleExtractor

NAMES = tuple(f"player_{i}" for i in range(7))
CASES = [  # (speech, speaker, expected claims as (type, subject, value, hedged)), by hand
    ("I will vote for player_2.", 0, [("plan", 2, "intent", False)]),
    ("I'm voting player_3 today.", 0, [("plan", 3, "intent", False)]),
    ("Let's all vote out player_4.", 0, [("plan", 4, "intent", False)]),
    ("Tonight I'll protect player_5.", 4, [("plan", 5, "intent", False)]),
    ("My check on player_5 says werewolf. Vote player_5.", 2,
     [("inspection_claim", 5, "werewolf", False), ("plan", 5, "intent", False)]),
    ("The doctor should protect player_3 tonight.", 1, [("plan", 3, "intent", False)]),
    ("player_5 will be dead by tomorrow.", 1, [("plan", 5, "prediction", False)]),
    ("The wolves will go for the seer tonight.", 1, [("plan", None, "prediction", False)]),
    ("I think I'll vote player_1.", 3, [("plan", 1, "intent", True)]),
    ("If player_2 flips wolf, I'll vote player_3.", 0, []),  # a conditional asserts nothing
    ("Should we vote player_2?", 0, []),  # nor does a question
    ("Yesterday I voted for player_4.", 0, [("vote_claim", 4, "yesterday", False)]),
    ("I think player_4 is a wolf.", 0, [("accusation", 4, "werewolf", True)]),  # hedge kept
    ("I  inspected\nplayer_4:  not  a\nwerewolf.", 2,  # any whitespace reads the same
     [("inspection_claim", 4, "not a werewolf", False)]),
]  # fmt: skip


@pytest.mark.parametrize("speech, speaker, expected", CASES, ids=[c[0][:30] for c in CASES])
def test_rule_extractor_reads_hand_written_claims(speech, speaker, expected):
    (found,) = RuleExtractor().extract([Utterance(speech, speaker, NAMES)])
    assert [(c.type, c.subject, c.value, c.hedged) for c in found] == expected
