"""Pure portfolio calculations: no Django, no database.

`stages` (the default five stages and their gates), `lifecycle` (the stage-gate state machine), `graph`
(dependency loops), `raid` (risk scores), `schedule` (milestone slippage), `status` (delivery confidence
and roll-ups) and `capacity` (what a reprioritisation releases).
"""
