"""dialogue stage (planned; see docs/architecture.md)."""
