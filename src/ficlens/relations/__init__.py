"""relations stage (planned; see docs/architecture.md)."""
