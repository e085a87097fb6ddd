"""The continuing-education platform: everything but the forum."""
