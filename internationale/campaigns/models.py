"""The records of campaigns."""
