"""Seat codes for districts: the author makes a code for N learners; each learner redeems it once.

A seat is taken by one guarded UPDATE (`seats_used = seats_used + 1 WHERE seats_used < seats`),
so any number of learners redeeming at once fill exactly the seats there are, on SQLite and on
PostgreSQL alike. Codes are 60 random bits (12 characters from 32 unambiguous ones); redemption is
rate-limited in the view, which makes guessing hopeless.
"""

import re
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination

from courseware.accounts.models import User
from courseware.content.models import Course
from courseware.db import insert_ignoring_duplicates
from courseware.extensions import db
from courseware.learning import services as learning
from courseware.learning.models import Enrolment, EnrolmentSource
from courseware.payments.models import SeatCode, SeatRedemption

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are read aloud and typed
CODE_LENGTH = 12
CODES_PER_PAGE = 20


class SeatRefused(Exception):
    """The code cannot give this learner a seat; the message says why."""


class AlreadyEnrolled(Exception):
    """The learner already has the course: no seat is taken."""

    def __init__(self, course: Course):
        super().__init__(f"You are already enrolled in {course.title}.")
        self.course = course


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise(text: str) -> str | None:
    """What a person typed ("abcd efgh-jkmn") as a stored code, or None if it cannot be one."""
    letters = re.sub(r"[\s-]+", "", text or "").upper()
    if len(letters) != CODE_LENGTH or any(char not in ALPHABET for char in letters):
        return None
    return "-".join(letters[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def create_code(
    course: Course, organisation: str, seats: int, expires_at: datetime | None, author_id: int, now: datetime
) -> SeatCode:
    code = SeatCode(
        course_id=course.id,
        code=new_code(),
        organisation=organisation.strip(),
        seats=seats,
        expires_at=expires_at,
        created_at=now,
        created_by_id=author_id,
    )
    db.session.add(code)
    db.session.flush()
    return code


def redeem(text: str, user: User, now: datetime) -> Course:
    """Take one seat of the code for the user and enrol them; the course. Raises SeatRefused or
    AlreadyEnrolled (no seat taken)."""
    code = _find(text)
    if code is None:
        raise SeatRefused("That code is not one of ours. Check it against the email from your district.")
    course = db.session.get(Course, code.course_id)
    if _enrolled(user.id, course.id):
        raise AlreadyEnrolled(course)
    if not code.is_open(now):
        raise SeatRefused("This code has expired or was withdrawn. Ask your district for a new one.")
    # The redemption row first: a double click's second request finds it and takes no second seat.
    redemption = {"seat_code_id": code.id, "user_id": user.id, "redeemed_at": now}
    if not insert_ignoring_duplicates(db.session, SeatRedemption, redemption):
        raise AlreadyEnrolled(course)
    if not _take_seat(code.id, now):
        raise SeatRefused(
            f"All {code.seats} seats on this code are taken. Ask your district for another seat."
        )
    learning.enrol(user.id, course, EnrolmentSource.SEAT, now)
    return course


def withdraw_unused_seat(code: SeatCode) -> bool:
    """One seat fewer on the code, if one is unused (guarded like a redemption)."""
    result = db.session.execute(
        sa.update(SeatCode)
        .where(SeatCode.id == code.id, SeatCode.seats > SeatCode.seats_used)
        .values(seats=SeatCode.seats - 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def cancel(code: SeatCode, now: datetime) -> None:
    """No more redemptions; the learners who took a seat keep it."""
    if code.cancelled_at is None:
        code.cancelled_at = now


def codes(page: int) -> Pagination:
    query = (
        sa.select(SeatCode)
        .options(sa.orm.joinedload(SeatCode.course).load_only(Course.slug, Course.title))
        .order_by(SeatCode.created_at.desc(), SeatCode.id.desc())
    )
    return db.paginate(
        query, page=page, per_page=CODES_PER_PAGE, error_out=False, max_per_page=CODES_PER_PAGE
    )


def code_with_redemptions(code_id: int) -> tuple[SeatCode, list[SeatRedemption]] | None:
    code = db.session.scalar(
        sa.select(SeatCode).options(sa.orm.joinedload(SeatCode.course)).where(SeatCode.id == code_id)
    )
    if code is None:
        return None
    redemptions = db.session.scalars(
        sa.select(SeatRedemption)
        .options(sa.orm.joinedload(SeatRedemption.user).load_only(User.email, User.display_name))
        .where(SeatRedemption.seat_code_id == code_id)
        .order_by(SeatRedemption.redeemed_at, SeatRedemption.id)
    )
    return code, list(redemptions)


def _find(text: str) -> SeatCode | None:
    code = normalise(text)
    return None if code is None else db.session.scalar(sa.select(SeatCode).where(SeatCode.code == code))


def _enrolled(user_id: int, course_id: int) -> bool:
    return (
        db.session.scalar(
            sa.select(Enrolment.id).where(
                Enrolment.user_id == user_id, Enrolment.course_id == course_id, Enrolment.revoked_at.is_(None)
            )
        )
        is not None
    )


def _take_seat(code_id: int, now: datetime) -> bool:
    result = db.session.execute(
        sa.update(SeatCode)
        .where(SeatCode.id == code_id, SeatCode.seats_used < SeatCode.seats, SeatCode.cancelled_at.is_(None))
        .where(sa.or_(SeatCode.expires_at.is_(None), SeatCode.expires_at > now))
        .values(seats_used=SeatCode.seats_used + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1
