"""Game rules as PettingZoo environments. No LLMs, no databases in here."""
