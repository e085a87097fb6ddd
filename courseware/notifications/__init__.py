"""Email outbox and delivery (in-app notifications and the mailing list come later)."""
