"""The records of actions."""
