"""Certificates: eligibility, issuing, PDF, public verification, revocation, audit evidence."""
