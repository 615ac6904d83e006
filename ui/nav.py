"""The app's pages, in menu order: (file, title, icon). app.py and the browser test read it.
Titles are English message ids (N_): app.py shows them with _() in the reader's language."""

from dsdash.i18n import N_

PAGES = [
    ("pages/overview.py", N_("Overview"), ":material/dashboard:"),
    ("pages/map.py", N_("Site map"), ":material/map:"),
    ("pages/gaps.py", N_("Gaps and exits"), ":material/grid_on:"),
    ("pages/whowhatwhere.py", N_("Who does what where"), ":material/groups:"),
    ("pages/trends.py", N_("Trends"), ":material/show_chart:"),
    ("pages/meeting.py", N_("Meeting pack"), ":material/slideshow:"),
    ("pages/upload.py", N_("Load your data"), ":material/upload_file:"),
    ("pages/workspace.py", N_("Workspace"), ":material/inventory_2:"),
    ("pages/admin.py", N_("Users and roles"), ":material/admin_panel_settings:"),
]
