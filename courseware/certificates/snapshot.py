"""What a certificate prints, frozen at issue (DESIGN §5): built once, never recomputed."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from courseware.accounts.models import Licence, User
from courseware.config import PROJECT_ROOT
from courseware.content import ce
from courseware.content.models import Course

SNAPSHOT_VERSION = 1
# NBCOT: one contact hour of an activity with an end-of-course assessment is 1.25 PDUs.
PDUS_PER_ASSESSED_HOUR = Decimal("1.25")


@dataclass(frozen=True)
class CertificateSettings:
    """Provider and signer details from configuration (CERTIFICATE_*), before course overrides."""

    provider_name: str
    signer_name: str
    signer_title: str
    signature_image: str | None
    serial_prefix: str
    default_time_zone: str

    @classmethod
    def from_config(cls, config) -> "CertificateSettings":
        return cls(
            provider_name=config["CERTIFICATE_PROVIDER_NAME"],
            signer_name=config["CERTIFICATE_SIGNER_NAME"],
            signer_title=config["CERTIFICATE_SIGNER_TITLE"],
            signature_image=config.get("CERTIFICATE_SIGNATURE_IMAGE"),
            serial_prefix=config["CERTIFICATE_SERIAL_PREFIX"],
            default_time_zone=config["DEFAULT_TIME_ZONE"],
        )

    def for_course(self, course: Course, courses_dir: str) -> "CertificateSettings":
        """A course's `certificate:` front matter names its own signer or signature image."""
        overrides = course.certificate or {}
        signature = overrides.get("signature")
        signature_image = str(Path(courses_dir) / course.slug / signature) if signature else None
        return CertificateSettings(
            provider_name=overrides.get("provider", self.provider_name),
            signer_name=overrides.get("signer", self.signer_name),
            signer_title=overrides.get("signer_title", self.signer_title),
            signature_image=signature_image or self.signature_image,
            serial_prefix=self.serial_prefix,
            default_time_zone=self.default_time_zone,
        )


@dataclass(frozen=True)
class Earned:
    """The facts of the completion that the certificate records."""

    completed_on: date
    issued_at: datetime
    post_test_score: Decimal | None  # None when the course has no post-test
    licence: Licence | None


def build_snapshot(
    public_id: str, serial: str, verify_url: str, user: User, course: Course, earned: Earned,
    settings: CertificateSettings,
) -> dict:
    return {
        "version": SNAPSHOT_VERSION,
        "public_id": public_id,
        "serial": serial,
        "verify_url": verify_url,
        "holder": _holder(user, earned.licence),
        "course": _course(course, assessed=earned.post_test_score is not None),
        "completed_on": earned.completed_on.isoformat(),
        "issued_at": earned.issued_at.isoformat(),
        "provider": _provider(course, settings),
        "signer": {
            "name": settings.signer_name,
            "title": settings.signer_title,
            "signature": portable_path(settings.signature_image),
        },
        "assessment": _assessment(earned.post_test_score),
    }


def with_corrections(snapshot: dict, public_id: str, serial: str, verify_url: str, legal_name: str) -> dict:
    """The snapshot of a corrected certificate: the same completion, a new id and the fixed name."""
    corrected = {**snapshot, "public_id": public_id, "serial": serial, "verify_url": verify_url}
    corrected["holder"] = {**snapshot["holder"], "legal_name": legal_name}
    return corrected


def portable_path(path: str | None) -> str | None:
    """Inside the project, a path relative to it: a frozen record must not name one server's folders."""
    if path is None:
        return None
    resolved = Path(path).resolve()
    return str(resolved.relative_to(PROJECT_ROOT)) if resolved.is_relative_to(PROJECT_ROOT) else path


def signature_file(snapshot: dict) -> Path | None:
    """The signature image a snapshot names, if it is still there to print."""
    name = snapshot["signer"].get("signature")
    if not name:
        return None
    path = PROJECT_ROOT / name  # an absolute name stays as it is
    return path if path.is_file() else None


def pdus(contact_hours: Decimal, assessed: bool) -> Decimal:
    return contact_hours * (PDUS_PER_ASSESSED_HOUR if assessed else 1)


def _holder(user: User, licence: Licence | None) -> dict:
    printed_licence = None
    if licence is not None:
        printed_licence = {"state": licence.state, "profession": licence.profession, "number": licence.number}
    return {"legal_name": user.legal_name, "credential": user.credential, "licence": printed_licence}


def _course(course: Course, assessed: bool) -> dict:
    return {
        "title": course.title,
        "slug": course.slug,
        "revision": course.revision,
        "instructor": course.instructor,
        "level": course.level,
        "content_focus": course.category,
        "contact_hours": ce.format_hours(course.contact_hours),
        "ceus": ce.ceus(course),
        "pdus": ce.format_hours(pdus(Decimal(course.contact_hours), assessed)),
    }


def _provider(course: Course, settings: CertificateSettings) -> dict:
    aota = ce.aota_approval(course)
    approval = None
    if aota is not None:
        approval = {"body": "AOTA", "number": aota["number"], "statement": ce.approval_statement(course)}
    return {
        "name": aota["provider"] if aota else settings.provider_name,
        "approval": approval,
        "state_notice": None if aota else ce.STATE_RULES_NOTICE,
    }


def _assessment(score: Decimal | None) -> dict | None:
    if score is None:
        return None
    return {"post_test_passed": True, "score_percent": ce.format_hours(Decimal(score))}
