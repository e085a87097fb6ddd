"""The learner's transcript: certificates earned here, credits recorded by hand, hours per licence.

One read per table (licences, certificates, external credits), whatever the number of rows.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa

from courseware.accounts.models import Licence, User
from courseware.accounts.states import state_name
from courseware.certificates.models import Certificate
from courseware.extensions import db
from courseware.transcript.cycles import (
    Credit,
    CycleHours,
    CycleState,
    RenewalCycle,
    count_cycle_hours,
    cycle_state,
    renewal_cycle,
)
from courseware.transcript.models import ActivityFormat, ExternalCredit
from courseware.transcript.rules import RenewalRule

# NBCOT gives 1 PDU per contact hour, and 1.25 when the activity ends with an assessment. We do not
# know whether a certificate from elsewhere had one, so it counts at the lower rate; our own
# certificates carry their PDUs in the snapshot.
EXTERNAL_PDUS_PER_HOUR = Decimal(1)
ASSESSED_PDUS_PER_HOUR = Decimal("1.25")


class Source:
    CERTIFICATE = "certificate"
    EXTERNAL = "external"


@dataclass(frozen=True)
class Activity:
    """One line of the transcript: a certificate of ours or a credit the learner recorded."""

    source: str
    completed_on: date
    title: str
    provider: str
    contact_hours: Decimal
    ceus: Decimal | None  # AOTA CEUs where the certificate states them
    pdus: Decimal
    format: str
    reference: str  # the certificate's serial, or the credit's number on this transcript
    public_id: str | None = None
    verify_url: str | None = None
    credit_id: int | None = None
    has_file: bool = False

    @property
    def self_study(self) -> bool:
        return self.format == ActivityFormat.SELF_STUDY

    @property
    def ceus_text(self) -> str:
        """0.675 -> '0.675', 0.100 -> '0.1'; blank when the certificate states no CEUs."""
        if self.ceus is None:
            return ""
        text = f"{self.ceus:f}"
        return text.rstrip("0").rstrip(".") if "." in text else text

    def as_credit(self) -> Credit:
        return Credit(self.completed_on, self.contact_hours, self.self_study, self.pdus)


@dataclass(frozen=True)
class LicenceSummary:
    licence: Licence
    state_name: str
    rule: RenewalRule | None  # None: no rules for this state in the table
    cycle: RenewalCycle | None  # None: no rule or no renewal date
    status: CycleState | None
    hours: CycleHours | None


@dataclass(frozen=True)
class Transcript:
    legal_name: str
    has_legal_name: bool
    credential: str | None
    activities: list[Activity]
    licences: list[LicenceSummary]
    today: date

    @property
    def total_hours(self) -> Decimal:
        return sum((activity.contact_hours for activity in self.activities), Decimal(0))

    @property
    def total_pdus(self) -> Decimal:
        return sum((activity.pdus for activity in self.activities), Decimal(0))

    @property
    def certificates(self) -> list[Activity]:
        return [activity for activity in self.activities if activity.source == Source.CERTIFICATE]


def load_transcript(user: User, today: date, rules: dict[str, RenewalRule]) -> Transcript:
    activities = sorted(
        [*_certificate_activities(user.id), *_external_activities(user.id)],
        key=lambda activity: (activity.completed_on, activity.title.lower()),
        reverse=True,
    )
    licences = db.session.scalars(sa.select(Licence).where(Licence.user_id == user.id).order_by(Licence.id))
    credits = [activity.as_credit() for activity in activities]
    return Transcript(
        legal_name=user.legal_name or user.display_name,
        has_legal_name=bool(user.legal_name),
        credential=user.credential,
        activities=activities,
        licences=[
            summarise_licence(licence, rules.get(licence.state.upper()), credits, today)
            for licence in licences
        ],
        today=today,
    )


def summarise_licence(
    licence: Licence, rule: RenewalRule | None, credits: Sequence[Credit], today: date
) -> LicenceSummary:
    name = state_name(licence.state)
    if rule is None or licence.renewal_date is None:
        return LicenceSummary(licence, name, rule, None, None, None)
    cycle = renewal_cycle(licence.renewal_date, rule.cycle_years)
    hours = count_cycle_hours(credits, cycle, rule.hours_per_cycle, rule.self_study_max_hours)
    return LicenceSummary(licence, name, rule, cycle, cycle_state(cycle, today), hours)


def learner_today(now: datetime, time_zone: str | None, default_time_zone: str) -> date:
    """Today in the learner's time zone: a cycle ends at the end of the renewal day where they live."""
    for name in (time_zone, default_time_zone):
        if name:
            try:
                return now.astimezone(ZoneInfo(name)).date()
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return now.date()


# Credits recorded by hand


def record_external_credit(
    user_id: int,
    title: str,
    provider: str,
    completed_on: date,
    contact_hours: Decimal,
    activity_format: str,
    stored_file: str | None = None,
    original_filename: str | None = None,
) -> ExternalCredit:
    credit = ExternalCredit(
        user_id=user_id,
        title=title,
        provider=provider,
        completed_on=completed_on,
        contact_hours=contact_hours,
        format=ActivityFormat(activity_format),
        file_name=stored_file,
        original_filename=original_filename,
    )
    db.session.add(credit)
    db.session.flush()
    return credit


def find_own_credit(user_id: int, credit_id: int) -> ExternalCredit | None:
    """The credit if it belongs to this learner; anybody else's is None (the view answers 404)."""
    return db.session.scalar(
        sa.select(ExternalCredit).where(ExternalCredit.id == credit_id, ExternalCredit.user_id == user_id)
    )


def delete_credit(credit: ExternalCredit) -> str | None:
    """Delete the row; return its stored file name so the caller removes the file after the commit."""
    stored = credit.file_name
    db.session.delete(credit)
    db.session.flush()
    return stored


# Reading the rows


def _certificate_activities(user_id: int) -> list[Activity]:
    rows = db.session.execute(
        sa.select(Certificate.public_id, Certificate.serial, Certificate.completed_on, Certificate.snapshot)
        .where(Certificate.user_id == user_id, Certificate.revoked_at.is_(None))
        .order_by(Certificate.completed_on.desc(), Certificate.id.desc())
    )
    return [_certificate_activity(*row) for row in rows]


def _certificate_activity(public_id: str, serial: str | None, completed_on: date, snapshot: dict) -> Activity:
    course = snapshot.get("course") or {}
    hours = _decimal(course.get("contact_hours")) or Decimal(0)
    assessed = bool((snapshot.get("assessment") or {}).get("post_test_passed"))
    pdus = _decimal(course.get("pdus"))
    if pdus is None:
        pdus = hours * (ASSESSED_PDUS_PER_HOUR if assessed else EXTERNAL_PDUS_PER_HOUR)
    return Activity(
        source=Source.CERTIFICATE,
        completed_on=_iso_date(snapshot.get("completed_on")) or completed_on,
        title=course.get("title") or "Course",
        provider=(snapshot.get("provider") or {}).get("name") or "",
        contact_hours=hours,
        ceus=_decimal(course.get("ceus")),
        pdus=pdus,
        format=ActivityFormat.SELF_STUDY,  # every course here is on-demand video
        reference=snapshot.get("serial") or serial or public_id,
        public_id=public_id,
        verify_url=snapshot.get("verify_url"),
    )


def _external_activities(user_id: int) -> list[Activity]:
    credits = db.session.scalars(
        sa.select(ExternalCredit)
        .where(ExternalCredit.user_id == user_id)
        .order_by(ExternalCredit.completed_on.desc(), ExternalCredit.id.desc())
    )
    return [
        Activity(
            source=Source.EXTERNAL,
            completed_on=credit.completed_on,
            title=credit.title,
            provider=credit.provider,
            contact_hours=credit.contact_hours,
            ceus=None,
            pdus=credit.contact_hours * EXTERNAL_PDUS_PER_HOUR,
            format=credit.format,
            reference=f"EXT-{credit.id}",
            credit_id=credit.id,
            has_file=credit.file_name is not None,
        )
        for credit in credits
    ]


def _decimal(value: object) -> Decimal | None:
    try:
        amount = Decimal(str(value)) if value is not None else None
    except InvalidOperation:
        return None
    return amount if amount is not None and amount.is_finite() else None


def _iso_date(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
