"""Score a claim extractor against a gold file: kappa, micro and per-type precision/recall.

    python bench/eval_extraction.py                          # rules on analysis/gold_data/dev.json
    python bench/eval_extraction.py --gold analysis/gold_data/gold_claims.json --misses 20
    python bench/eval_extraction.py --cv                     # + leave-two-scenarios-out folds
    python bench/eval_extraction.py --by scenario            # intervals resample scenarios
    python bench/eval_extraction.py --extractor analysis.rules:RuleExtractor
    python bench/eval_extraction.py --test-part              # the frozen test part: figures only

Kappa units are (type, subject) slots of each utterance, a claim's identity (type, subject,
value); the hedge flag's agreement is printed on its own. Intervals are 95 % percentile
bootstraps (utterances drawn with replacement by default). All scoring is analysis/gold.py's.
The test part is measured once, by the lead: `--test-part` prints figures, never its
utterances, and refuses --misses and --cv (nothing is tuned on it).
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.claims import Extractor
from analysis.gold import (
    GOLD_DEV_PATH,
    GOLD_TEST_PATH,
    ExtractionScores,
    Gold,
    cross_validate,
    load_gold,
    score_found,
)


def make_extractor(spec: str) -> Extractor:
    """`module:Class` (called with no arguments) as an extractor."""
    module, _, attr = spec.partition(":")
    return getattr(importlib.import_module(module), attr or "RuleExtractor")()


def show(name: str, scores: ExtractionScores, misses: int = 0) -> None:
    """Print one extractor's figures (and the first `misses` disagreements)."""
    print(f"== {name}: {scores.summary()}")
    cols = ["claim_type", "gold", "found", "matched", "precision", "precision_lo",
            "precision_hi", "recall", "recall_lo", "recall_hi"]  # fmt: skip
    print(scores.per_type[cols].round(3).to_string(index=False))
    for uid, text, want, have in scores.misses[:misses]:
        print(f"  {uid}: {text}\n      gold {want}\n      got  {have}")


def main(argv: list[str] | None = None) -> None:
    """Entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", default=str(GOLD_DEV_PATH), help="a GUIDELINES-format gold file")
    ap.add_argument("--test-part", action="store_true", help="score the frozen test part")
    ap.add_argument("--extractor", default="analysis.rules:RuleExtractor", help="module:Class")
    ap.add_argument("--by", default="utterance", choices=["utterance", "scenario"],
                    help="what the bootstrap resamples")  # fmt: skip
    ap.add_argument("--reps", type=int, default=2000, help="bootstrap replicates")
    ap.add_argument("--cv", action="store_true", help="leave-two-scenarios-out folds too")
    ap.add_argument("--scenarios", help="comma-separated scenario ids to keep")
    ap.add_argument("--misses", type=int, default=0, help="disagreements to print")
    args = ap.parse_args(argv)

    path = Path(GOLD_TEST_PATH if args.test_part else args.gold).resolve()
    frozen = path == GOLD_TEST_PATH.resolve()
    if frozen and not args.test_part:
        raise SystemExit("error: the frozen test part is scored only with --test-part")
    if frozen and (args.misses or args.cv or args.scenarios):
        raise SystemExit("error: the test part prints figures only (no misses, folds, subsets)")
    gold: Gold = load_gold(path)
    if args.scenarios:
        gold = gold.subset(args.scenarios.split(","))
    extractor = make_extractor(args.extractor)
    print(f"gold: {path.name}, {len(gold.scenarios)} scenarios, {len(gold.utterances)} "
          f"utterances, {sum(len(u['claims']) for u in gold.utterances)} claims")  # fmt: skip
    start = time.perf_counter()
    found = extractor.extract(gold.as_utterances())
    took = time.perf_counter() - start
    show(f"{extractor.name} ({took:.2f} s)", score_found(gold, found, reps=args.reps, by=args.by),
         args.misses)  # fmt: skip
    if args.cv:
        fit = getattr(extractor, "fit", None)
        pooled, folds = cross_validate(
            (lambda train: fit(train)) if fit else (lambda _train: extractor),
            gold, reps=args.reps, by=args.by,
        )  # fmt: skip
        print(
            "\nleave-two-scenarios-out (each fold read by an extractor fitted without it"
            + ("" if fit else "; this one fits nothing, so folds only show the spread")
            + ")"
        )
        print(folds.round(3).to_string(index=False))
        show("pooled held-out folds", pooled)


if __name__ == "__main__":
    main()
