"""Drawing primitives of the deck: how many table rows fit a slide."""

from dsdash.deck.draw import rows_that_fit


def test_rows_that_fit_counts_wrapped_rows():
    short = [["a", "b"]] * 30
    long = [["x" * 200, "b"]] * 30
    assert rows_that_fit(short, [2, 2], 11, 0.34, 5.0) == 13
    assert rows_that_fit(long, [2, 2], 11, 0.34, 5.0) < 5
