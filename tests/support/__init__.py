"""Test support shared by tests and benchmarks: paths, the DuckDB oracle of the gap matrix,
synthetic data, DTM Master List files, and helpers for map and figure checks."""
