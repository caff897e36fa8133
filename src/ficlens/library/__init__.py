"""library stage (planned; see docs/architecture.md)."""
