"""The raw statistics, one partition per data year."""
