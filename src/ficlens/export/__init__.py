"""export stage (planned; see docs/architecture.md)."""
