"""Story clustering: incremental assignment of articles to stories."""
