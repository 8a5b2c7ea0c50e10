"""The mime engine (see docs/architecture.md)."""
