"""The smtp engine (see docs/architecture.md)."""
