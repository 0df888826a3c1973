"""Domain rules in plain Python (no Flask): dates, phone numbers, facility records."""
