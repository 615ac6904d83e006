"""Tests of dsdash/map/."""
