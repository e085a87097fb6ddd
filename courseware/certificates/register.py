"""The certificate register as CSV rows: what an auditor asks the provider for (DESIGN §5)."""

from collections.abc import Iterable, Iterator

from courseware.certificates.models import Certificate

REGISTER_HEADER = [
    "Serial", "Certificate id", "Status", "Revoked at", "Revocation reason", "Replaced by",
    "Legal name", "Email", "Credential", "License", "Course", "Course revision", "Contact hours", "AOTA CEUs",
    "Completed on", "Issued at", "Post-test score %", "Verification URL",
]


def register_rows(certificates: Iterable[Certificate]) -> Iterator[list[object]]:
    for certificate in certificates:
        snapshot = certificate.snapshot
        holder, course = snapshot["holder"], snapshot["course"]
        yield [
            certificate.serial, certificate.public_id, "valid" if certificate.is_valid else "revoked",
            _iso(certificate.revoked_at), certificate.revoked_reason,
            certificate.replaced_by.serial if certificate.replaced_by else None,
            holder["legal_name"], certificate.user.email, holder.get("credential"),
            licence_text(holder.get("licence")),
            course["title"], course["revision"], course["contact_hours"], course["ceus"],
            snapshot["completed_on"], snapshot["issued_at"],
            (snapshot.get("assessment") or {}).get("score_percent"), snapshot["verify_url"],
        ]


def licence_text(licence: dict | None) -> str:
    if not licence:
        return ""
    return f"{licence['state']} {licence['profession']} {licence['number']}"


def _iso(value) -> str | None:
    return value.isoformat() if value else None
