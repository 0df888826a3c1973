"""Demo and synthetic facility data."""
