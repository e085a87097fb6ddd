"""Post-tests and course evaluations."""
