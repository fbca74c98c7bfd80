"""The records of ownership."""
