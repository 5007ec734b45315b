"""Grapevine: find work through people, one information meeting at a time."""

__version__ = "0.1.0"
