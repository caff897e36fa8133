"""characters stage (planned; see docs/architecture.md)."""
