"""AppTest: one file per page of pages/ (the run_page fixture is in conftest.py)."""
