"""Information extraction from article text: named entities and other structured facts."""
