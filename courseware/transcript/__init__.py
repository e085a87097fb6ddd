"""The lifetime transcript: certificates earned here and elsewhere, hours per licence renewal cycle."""
