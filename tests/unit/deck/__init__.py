"""Tests of dsdash/deck/."""
