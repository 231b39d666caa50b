"""Scenarios: declare a system's expected behaviour step by step, run it, report (docs/scenarios.md)."""
