"""Tests of dsdash/trends/."""
