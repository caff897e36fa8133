"""fandoms stage (planned; see docs/architecture.md)."""
