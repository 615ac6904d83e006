"""The command line, python -m dsdash (dsdash/__main__.py and dsdash/commands/)."""
