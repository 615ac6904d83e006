"""The gap matrix of dsdash: who serves which site with which service on a date, what is
at risk, lost or handed over, and what partner exits cost.

presence (the one presence model) → engine (prepare once, evaluate a date) → summary,
exits → tables and plots for the pages and the deck.
"""
