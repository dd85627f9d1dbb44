"""What the numbers rest on: criteria, factor tables, planetary boundaries, defaults."""
