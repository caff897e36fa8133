"""eval stage (planned; see docs/architecture.md)."""
