"""The officers' web application: server-rendered pages (Jinja2 + htmx) on the API's app."""
