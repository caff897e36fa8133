"""affect stage (planned; see docs/architecture.md)."""
