"""Benchmarks (run as scripts: bench/search.py, bench/redeem.py); importable for the concurrency test."""
