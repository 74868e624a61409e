"""Spot checks of recorders and footage (R22.3): plans, reproducible samples, reviews
against the Art. 13 checklist and the Art. 14 prohibitions, and their ledger."""
