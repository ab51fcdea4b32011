"""Raw statistics: yearbook-style county data under data/raw/<source>/<year>/."""
