"""batch stage (planned; see docs/architecture.md)."""
