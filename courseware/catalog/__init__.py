"""The catalogue and course landing pages."""
