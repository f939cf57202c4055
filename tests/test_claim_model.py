"""The learned second reader: what it looks at, what it adds, and what it is fitted on."""

from __future__ import annotations

import fnmatch
import pickle
import tomllib
from pathlib import Path

from analysis import claim_model
from analysis.claim_model import (
    HybridExtractor,
    candidates,
    default_model,
    training_gold,
)
from analysis.claims import Utterance
from analysis.gold import GOLD_DEV_PATH, GOLD_PATH, GOLD_TEST_PATH, load_gold, score_extractor
from analysis.rules import RuleExtractor

NAMES = tuple(f"player_{i}" for i in range(7))


def _about(text: str, speaker: int = 0) -> dict[int, str]:
    return {c.seat: c.text for c in candidates(Utterance(text, speaker, NAMES), 0)}


def test_candidates_mask_the_player_and_resolve_pronouns_and_you():
    about = _about("Player 3 voted oddly. She is hiding something. P5, you are quiet.")
    assert "TGT voted oddly" in about[3] and "TGT is hiding" in about[3]
    assert "TGT are quiet" in about[5]  # "you" in a sentence addressed to P5
    assert "OTH" not in about[3]


def test_the_speaker_is_a_candidate_in_the_first_person():
    about = _about("I am the seer and I checked player_2.", speaker=4)
    assert about[4].startswith("SELF TGT is the seer")
    assert "checked OTH" in about[4] and "checked TGT" in about[2]


def test_the_hybrid_keeps_every_rule_claim():
    dev = load_gold()
    utterances = dev.as_utterances()
    rules = RuleExtractor().extract(utterances)
    hybrid = HybridExtractor().extract(utterances)
    for r, h in zip(rules, hybrid, strict=True):
        assert h[: len(r)] == r  # the rules' claims first, untouched; the model only adds


def test_the_model_adds_a_claim_the_rules_do_not_read():
    u = Utterance("Honestly player_3 gives me the creeps, something about that one.", 0, NAMES)
    (ruled,) = RuleExtractor().extract([u])
    (found,) = HybridExtractor(threshold=0.0).extract([u])
    assert not any(c.subject == 3 for c in ruled)
    assert any(c.subject == 3 and c.type == "accusation" for c in found)


def test_the_shipped_model_never_sees_the_frozen_test_part():
    test_ids = set(load_gold(GOLD_TEST_PATH).scenarios)
    assert test_ids and not test_ids & set(training_gold().scenarios)
    # no training utterance is a test utterance (two authors both wrote "p4 for me")
    test_texts = {u["text"] for u in load_gold(GOLD_TEST_PATH).utterances}
    shared = test_texts & {u["text"] for u in training_gold().utterances}
    assert all(len(t) < 20 for t in shared), shared


def test_the_fitted_model_is_cached_on_disk_and_reads_back_the_same(tmp_path, monkeypatch):
    monkeypatch.setenv("SDLAB_CACHE_DIR", str(tmp_path))
    default_model.cache_clear()
    try:
        first = default_model()
        (cached,) = tmp_path.glob("claim_model-*.pkl")
        again = pickle.loads(cached.read_bytes())
        text = [Utterance("player_2 is a wolf, I voted for her yesterday.", 1, NAMES)]
        assert first.predict(text)[0][1] == again.predict(text)[0][1]
    finally:
        default_model.cache_clear()


def test_hybrid_is_scored_like_any_extractor():
    scores = score_extractor(HybridExtractor(), load_gold(), reps=0)
    assert scores.recall >= score_extractor(RuleExtractor(), load_gold(), reps=0).recall
    assert HybridExtractor().threshold == claim_model.THRESHOLD


def test_an_installed_package_carries_the_data_its_model_is_fitted_on():
    # The default extractor fits its model on first use: a wheel without the gold files would
    # fail on every `sdlab analyse` outside a clone (they once lived under tests/).
    package = Path(claim_model.__file__).resolve().parent
    root = package.parent
    globs = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["analysis"]
    for path in (GOLD_DEV_PATH, GOLD_PATH, GOLD_TEST_PATH):
        assert path.is_file()
        inside = path.resolve().relative_to(package).as_posix()  # raises if outside the package
        assert any(fnmatch.fnmatch(inside, g) for g in globs), f"{inside} is not package data"
