"""Test support shared by tests and benchmarks: the DuckDB oracle and synthetic data."""
