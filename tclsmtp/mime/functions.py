"""Primitives of the token-less mime:: commands (parseaddress, qp_encode, ...)."""
