"""The reference data as printed: administrative divisions, ranking tables, clusters, stated figures."""
