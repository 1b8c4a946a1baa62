"""Frozen copies of the signals as they were before the perf-3 work: the oracles of the equivalence tests."""
