"""web stage (planned; see docs/architecture.md)."""
