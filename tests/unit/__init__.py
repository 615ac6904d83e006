"""Unit tests: one file per dsdash module, in the same folders (tests/unit/coverage/test_engine.py tests dsdash/coverage/engine.py)."""
