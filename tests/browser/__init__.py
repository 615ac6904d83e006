"""The real app in headless Chromium (marked browser); screenshots go to tests/screenshots/."""
