"""Command line interface (placeholder until the orchestrator lands)."""


def main() -> int:
    """Run the CLI."""
    return 0
