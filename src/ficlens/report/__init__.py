"""report stage (planned; see docs/architecture.md)."""
