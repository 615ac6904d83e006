"""Tests of dsdash/importers/."""
