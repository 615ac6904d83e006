"""The app's pages, in menu order: (file, title, icon). app.py and the browser test read it."""

PAGES = [
    ("pages/overview.py", "Overview", ":material/dashboard:"),
    ("pages/map.py", "Site map", ":material/map:"),
    ("pages/gaps.py", "Gaps and exits", ":material/grid_on:"),
    ("pages/whowhatwhere.py", "Who does what where", ":material/groups:"),
    ("pages/trends.py", "Trends", ":material/show_chart:"),
    ("pages/meeting.py", "Meeting pack", ":material/slideshow:"),
    ("pages/upload.py", "Load your data", ":material/upload_file:"),
    ("pages/workspace.py", "Workspace", ":material/inventory_2:"),
    ("pages/admin.py", "Users and roles", ":material/admin_panel_settings:"),
]
