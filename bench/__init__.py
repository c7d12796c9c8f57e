"""Benchmarks of the Regio Ecosysteem Monitor (python -m bench)."""
