"""narrative stage (planned; see docs/architecture.md)."""
