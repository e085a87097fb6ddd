"""Password rules and hashing: werkzeug's scrypt, a minimum length, no email, no very common password."""

from functools import cache

from werkzeug.security import check_password_hash, generate_password_hash

# Lists of breached passwords are long; these are the ones people actually try on a CE site.
COMMON_PASSWORDS = frozenset(
    """
    password password1 password12 password123 password1234 passw0rd passw0rd1 p@ssw0rd p@ssword1
    1234567890 12345678910 0123456789 0987654321 1111111111 1234512345 1q2w3e4r5t 1qaz2wsx3edc
    qwertyuiop qwerty1234 qwerty12345 asdfghjkl; asdfghjkl1 zxcvbnm123 abcdefghij abc1234567
    iloveyou12 letmein123 welcome123 welcome2024 welcome2025 changeme123 trustno1234
    football123 baseball123 sunshine123 princess123 starwars123 dragon1234 monkey1234
    superman123 batman1234 whatever123 computer123 internet123 administrator
    occupational occupationaltherapy occupationaltherapist therapist1 therapy123 otr/l12345
    schoolbased schooltherapy teacher123 student123 classroom1 education1
    """.split()
)

MIN_LOCAL_PART = 3  # "a@x.org" must not forbid every password with an "a" in it


def password_problem(password: str, email: str, min_length: int) -> str | None:
    """The first reason this password is not acceptable, or None when it is."""
    if len(password) < min_length:
        return f"Use at least {min_length} characters."
    local_part = email.strip().lower().partition("@")[0]
    if len(local_part) >= MIN_LOCAL_PART and local_part in password.lower():
        return "Don't use your email address in your password."
    if password.lower() in COMMON_PASSWORDS:
        return "That password is too common. Try a short phrase of three or four unrelated words."
    return None


def hash_password(password: str) -> str:
    return generate_password_hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)


def spend_equal_time(password: str) -> None:
    """Check against a throwaway hash so an unknown email takes as long as a wrong password."""
    check_password_hash(_throwaway_hash(), password)


@cache
def _throwaway_hash() -> str:
    return generate_password_hash("no account has this password")
