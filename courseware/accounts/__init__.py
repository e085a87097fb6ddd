"""Users, sign-up, email verification, login, password reset, profile and licences."""
