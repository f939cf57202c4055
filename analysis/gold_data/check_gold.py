"""Structural check of a gold file (scenario consistency, field values); it never computes labels.

python analysis/gold_data/check_gold.py analysis/gold_data/writer-a.json
"""

from __future__ import annotations

import json
import sys
from collections import Counter

ROLES = {"werewolf", "seer", "doctor", "villager"}
VALUES = {
    "role_claim": {"werewolf", "seer", "doctor", "villager", "village"},
    "accusation": {"werewolf"},
    "defence": {"not a werewolf"},
    "inspection_claim": {"werewolf", "not a werewolf"},
    "vote_claim": {"yesterday", "today", "last"},
    "night_claim": {"attacked", "protected"},
    "plan": {"intent", "prediction"},
}
LABELS = {"truthful", "lie", "mistake", "unverifiable"}


def check_scenario(sid: str, sc: dict) -> tuple[list[str], dict[int, set[int]], dict[int, int]]:
    """Problems, living seats at the start of each day's discussion, eliminated per day."""
    errors: list[str] = []
    roles = sc["roles"]
    n = len(roles)
    if not 7 <= n <= 9 or set(roles) - ROLES:
        errors.append(f"{sid}: 7-9 players with roles {sorted(ROLES)}")
    count = Counter(roles)
    if count["seer"] > 1 or count["doctor"] > 1 or not 1 <= count["werewolf"] < n / 2:
        errors.append(f"{sid}: bad roster {dict(count)}")
    alive = set(range(n))
    living_at: dict[int, set[int]] = {}
    eliminated = {int(d): s for d, s in sc.get("eliminated", {}).items()}
    last_protect = None
    days = sorted(int(d) for d in sc["nights"])
    if days != list(range(1, len(days) + 1)):
        errors.append(f"{sid}: nights must be numbered 1..k")
    for day in days:
        night = sc["nights"][str(day)]
        a = night.get("attack")
        if a not in alive or roles[a] == "werewolf":
            errors.append(f"{sid} night {day}: attack must target a living non-werewolf")
        seer = next((s for s in alive if roles[s] == "seer"), None)
        doctor = next((s for s in alive if roles[s] == "doctor"), None)
        if "inspect" in night:
            i = night["inspect"]
            if seer is None or i not in alive or i == seer:
                errors.append(
                    f"{sid} night {day}: inspect needs a living seer and another living target"
                )
        elif seer is not None:
            errors.append(f"{sid} night {day}: the living seer must inspect")
        if "protect" in night:
            p = night["protect"]
            if doctor is None or p not in alive:
                errors.append(
                    f"{sid} night {day}: protect needs a living doctor and a living target"
                )
            if p == last_protect:
                errors.append(
                    f"{sid} night {day}: the doctor may not protect the same player twice running"
                )
            last_protect = p
        elif doctor is not None:
            errors.append(f"{sid} night {day}: the living doctor must protect")
        if a is not None and a != night.get("protect"):
            alive.discard(a)
        living_at[day] = set(alive)
        rounds = sc.get("votes", {}).get(str(day), [])
        candidates = set(alive)
        for r, ballot in enumerate(rounds):
            voters = {int(v) for v in ballot}
            if voters != alive:
                errors.append(
                    f"{sid} day {day} round {r}: every living player votes, and only they"
                )
            for v, t in ballot.items():
                if t is not None and (t not in candidates or t == int(v)):
                    errors.append(f"{sid} day {day}: {v} votes for {t}, not a candidate")
            tally = Counter(t for t in ballot.values() if t is not None)
            if tally:
                best = max(tally.values())
                candidates = {s for s, c in tally.items() if c == best}
        if rounds and len(candidates) == 1 and tally:
            expect = next(iter(candidates))
            if eliminated.get(day) != expect:
                errors.append(f"{sid} day {day}: the plurality eliminates player_{expect}")
        elif day in eliminated:
            errors.append(f"{sid} day {day}: no single plurality, so nobody is eliminated")
        if day in eliminated:
            alive.discard(eliminated[day])
        wolves = sum(1 for s in alive if roles[s] == "werewolf")
        if (wolves == 0 or wolves >= len(alive) - wolves) and day != days[-1]:
            errors.append(f"{sid}: the game is over after day {day} but goes on")
    return errors, living_at, eliminated


def main(path: str) -> int:
    """Print every problem; exit 1 if any."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    errors: list[str] = []
    scen = {}
    for sid, sc in data["scenarios"].items():
        errs, living, elim = check_scenario(sid, sc)
        errors += errs
        scen[sid] = (sc, living, elim)
    ids = Counter(u["id"] for u in data["utterances"])
    errors += [f"duplicate id {i}" for i, k in ids.items() if k > 1]
    for u in data["utterances"]:
        where = u.get("id", "?")
        if u["scenario"] not in scen:
            errors.append(f"{where}: unknown scenario")
            continue
        sc, living, elim = scen[u["scenario"]]
        n = len(sc["roles"])
        day, speaker = u["day"], u["speaker"]
        if day not in living:
            errors.append(f"{where}: day {day} has no night in the scenario")
            continue
        if u["phase"] == "last_words":
            if elim.get(day) != speaker:
                errors.append(f"{where}: last words only from the player eliminated that day")
        elif u["phase"] != "day_speech" or speaker not in living[day]:
            errors.append(f"{where}: the speaker must be alive in day_speech")
        for about, p in u.get("beliefs", {}).items():
            if not 0 <= float(p) <= 1 or int(about) == speaker or not 0 <= int(about) < n:
                errors.append(f"{where}: belief {about}: {p}")
        if not u["text"].strip():
            errors.append(f"{where}: empty text")
        for c in u["claims"]:
            if c["type"] not in VALUES or c["value"] not in VALUES[c["type"]]:
                errors.append(f"{where}: bad type/value {c}")
            if c["subject"] is not None and not 0 <= c["subject"] < n:
                errors.append(f"{where}: bad subject {c}")
            if c.get("label") not in LABELS or not isinstance(c.get("hedged"), bool):
                errors.append(f"{where}: bad label/hedged {c}")
            if not isinstance(c.get("inconsistent"), bool):
                errors.append(f"{where}: inconsistent must be true/false {c}")
            if c["type"] == "plan" and c["label"] != "unverifiable":
                errors.append(f"{where}: plans are unverifiable {c}")
    for e in errors:
        print(e)
    utts = data["utterances"]
    claims = [c for u in utts for c in u["claims"]]
    empty = sum(not u["claims"] for u in utts)
    print(f"{len(utts)} utterances, {len(claims)} claims, {empty} without claims")
    print("types:", dict(Counter(c["type"] for c in claims)))
    print("labels:", dict(Counter(c["label"] for c in claims)))
    print("OK" if not errors else f"{len(errors)} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
