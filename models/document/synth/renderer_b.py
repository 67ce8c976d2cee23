"""Placeholder until renderer B is written."""
