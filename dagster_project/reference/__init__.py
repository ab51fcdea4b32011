"""Real reference data: the administrative divisions and the published ranking tables."""
