"""Pure benefits calculations: no Django, no database.

`categories` (the categories and whether each is cashable), `lifecycle` (the benefit state machine with its
role checks), `prudence` (what may count towards the MTFP, and budget-line collisions), `performance`
(actuals against plan, forecast outturn, tolerance RAG, milestone slippage), `mtfp` (the position by year and
the RAG of each saving), `curve` (the realisation curve) and `split` (apportioning between councils).
"""
