"""Primitives of the smtp package (see docs/architecture.md)."""
