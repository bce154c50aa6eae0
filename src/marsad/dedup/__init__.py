"""Near-duplicate detection: exact hashes plus MinHash/LSH over word shingles."""
