"""The zone graph's schema, settings, errors and the stores that hold it."""
