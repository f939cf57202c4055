"""Score claim extractors against the hand-labelled gold set (analysis/gold_data/gold_claims.json).

    python bench/eval_judge.py                                   # rule-based extractor only
    python bench/eval_judge.py --model openai/gpt-4o-mini        # + an LLM judge (needs a key)
    python bench/eval_judge.py --model openai/local --api-base http://127.0.0.1:8080/v1
                                             # `sdlab serve-local`'s server (mode negotiated)
    python bench/eval_judge.py --model local/smollm2             # starts its own llama.cpp
    python bench/eval_judge.py --model openai/x --mock oracle    # offline dry run of the path

Judge answers are cached as LLMCall rows in --cache (a SQLite file), so a rerun is free.
Prints Cohen's kappa, per-type precision/recall, hedge agreement and the first disagreements.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time

from analysis.gold import ExtractionScores, load_gold, score_found
from analysis.rules import RuleExtractor


def show(name: str, scores: ExtractionScores, seconds: float, misses: int) -> None:
    """Print one extractor's figures."""
    print(f"\n== {name}: kappa {scores.kappa:.3f}, hedge agreement "
          f"{scores.hedge_agreement:.3f}, {seconds:.1f} s")  # fmt: skip
    print(scores.per_type.round(3).to_string(index=False))
    for uid, text, want, have in scores.misses[:misses]:
        print(f"  {uid}: {text}\n      gold {want}\n      got  {have}")


def oracle_answer(u) -> str:
    """Offline stand-in for a model: answers what the rule extractor reads."""
    claims = RuleExtractor().extract_one(u)
    return json.dumps({"claims": [
        {"type": c.type, "subject": "me" if c.subject == u.speaker else
         (u.names[c.subject] if c.subject is not None else None),
         "value": c.value, "hedged": c.hedged} for c in claims]})  # fmt: skip


def main() -> None:
    """Entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", help="litellm model string for the judge")
    ap.add_argument("--api-base", help="OpenAI-compatible server URL")
    ap.add_argument("--api-key", default=None, help="key (default: the provider's env var)")
    ap.add_argument("--concurrency", type=int, default=4, help="requests in flight")
    ap.add_argument("--limit", type=int, default=None, help="only the first N utterances")
    ap.add_argument("--structured", default="auto",
                    choices=["auto", "json_schema", "json_object", "prompt"])  # fmt: skip
    ap.add_argument("--cache", default="judge_cache.db", help="SQLite file for judge calls")
    ap.add_argument("--mock", choices=["oracle"], help="offline: answer with the rule reading")
    ap.add_argument("--misses", type=int, default=10, help="disagreements to print")
    args = ap.parse_args()

    gold = load_gold()
    if args.limit:
        gold.utterances = gold.utterances[: args.limit]
    print(f"gold set: {len(gold.utterances)} utterances, "
          f"{sum(len(u['claims']) for u in gold.utterances)} claims")  # fmt: skip
    start = time.perf_counter()
    rules = RuleExtractor().extract(gold.as_utterances())
    show("rules", score_found(gold, rules), time.perf_counter() - start, args.misses)
    if not args.model:
        return

    from agents.providers import ProviderError
    from analysis.judge import JudgeError, LLMJudge
    from runs.store import open_engine

    extra = {"api_base": args.api_base} if args.api_base else {}
    if args.api_key:
        extra["api_key"] = args.api_key
    utterances = [dataclasses.replace(u, game_id=None) for u in gold.as_utterances()]
    start = time.perf_counter()
    judge = None
    try:
        judge = LLMJudge(
            args.model, open_engine(args.cache), structured=args.structured,
            mock_response=oracle_answer if args.mock else None, log_game_ids=False,
            concurrency=args.concurrency, max_tokens=400, **extra,
        )  # fmt: skip
        found = judge.extract(utterances)
    except (JudgeError, ProviderError) as exc:  # calls are logged: a rerun resends only these
        raise SystemExit(f"error: {exc}") from None
    finally:
        if judge is not None:
            judge.close()
    took = time.perf_counter() - start
    show(judge.name, score_found(gold, found), took, args.misses)
    print(f"requests sent: {judge.sent} (the rest came from the cache in {args.cache})")


if __name__ == "__main__":
    main()
