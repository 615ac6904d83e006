"""Tests of dsdash/coverage/."""
