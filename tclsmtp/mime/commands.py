"""Primitives of the mime package (see docs/architecture.md)."""
