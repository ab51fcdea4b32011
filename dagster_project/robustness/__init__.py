"""How sure is a rank: the method's choices varied together (uncertainty), which choice moves ranks most
(sensitivity), the index's statistical coherence, and what moved a unit between two data years.

Plain numpy, vectorised over draws; the dbt Python models under dbt/models/intermediate/robustness/ call it.
docs/methodology.md §9-12 describe what it computes.
"""
