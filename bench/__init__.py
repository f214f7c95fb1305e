"""Benchmarks: hirepath side by side with bare baselines on the same servers (make bench)."""
