"""Small helpers shared by the web pages (charts)."""
