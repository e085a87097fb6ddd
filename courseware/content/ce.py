"""CE wording that the landing page prints now and the certificate prints later (DESIGN §5)."""

from decimal import Decimal

from courseware.content.models import Course

STATE_RULES_NOTICE = (
    "This course is not AOTA-approved. Refer to your state's guidelines to determine whether it is "
    "accepted as continuing education for your licensure. You receive a certificate of completion "
    "with its contact hours."
)


def format_hours(hours: Decimal) -> str:
    """6.75 -> '6.75', 1.00 -> '1', 0.50 -> '0.5'."""
    text = f"{hours:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def ceus(course: Course) -> str:
    """AOTA CEUs: 1 CEU = 10 contact hours, so 6.75 h -> '0.675'."""
    return f"{course.contact_hours / 10:.3f}".rstrip("0").rstrip(".")


def aota_approval(course: Course) -> dict | None:
    approval = course.approval or {}
    return approval.get("aota")


def approval_statement(course: Course) -> str | None:
    aota = aota_approval(course)
    if aota is None:
        return None
    return (
        f"{aota['provider']} is an AOTA Approved Provider of professional development. "
        f"Course approval ID# {aota['number']}. This distance learning-independent course is offered at "
        f"{ceus(course)} CEUs ({format_hours(course.contact_hours)} contact hours), {course.level} level, "
        f"{course.category}. AOTA does not endorse specific course content, products, or clinical "
        "procedures."
    )
