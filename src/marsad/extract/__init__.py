"""Information extraction from article text (named entities)."""
