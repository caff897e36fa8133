"""feedback stage (planned; see docs/architecture.md)."""
