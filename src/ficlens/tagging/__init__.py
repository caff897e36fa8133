"""tagging stage (planned; see docs/architecture.md)."""
