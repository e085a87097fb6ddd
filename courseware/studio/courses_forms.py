"""The studio's course forms: a new course, its settings, publishing. The values are checked by the
course files' own parsers (content/validation.py), so a saved course always exports to valid files."""

import re
from decimal import Decimal

from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from courseware.content.ce import format_hours
from courseware.content.export_files import format_price, normalise_markdown
from courseware.content.models import Course
from courseware.content.validation import LEVELS, parse_contact_hours, parse_price, parse_slug
from courseware.forms import Form, WholeNumberField, strip
from courseware.studio.editor_forms import BODY_MAX_CHARS

_AMOUNT = re.compile(r"^\$?\s*(\d+(?:\.\d{2})?)$")
APPROVALS = [
    SelectChoice("state", "Not AOTA-approved: refer to your state's guidelines"),
    SelectChoice("aota", "AOTA-approved"),
]
MAX_OBJECTIVES = 20


class CourseDetailsForm(Form):
    title = StringField(
        "Title", filters=[strip], validators=[DataRequired("Give the course a title."), Length(max=200)]
    )
    summary = TextAreaField(
        "Summary", filters=[strip], render_kw={"rows": 3},
        validators=[DataRequired("Write a sentence or two for the catalogue."), Length(max=1000)],
    )
    instructor = StringField(
        "Instructor", filters=[strip], validators=[DataRequired("Name the instructor."), Length(max=120)]
    )
    price = StringField("Price", filters=[strip], validators=[InputRequired("Enter a price, or free.")])
    contact_hours = StringField(
        "Contact hours", filters=[strip], validators=[InputRequired("Enter the approved contact hours.")]
    )
    level = SelectField("Level", choices=[SelectChoice(name, name) for name in LEVELS], validate_choice=True)
    category = StringField(
        "Category (AOTA content focus)", filters=[strip],
        validators=[DataRequired("Enter the content focus, like Professional Issues."), Length(max=80)],
    )
    objectives = TextAreaField(
        "Learning objectives", render_kw={"rows": 4},
        validators=[DataRequired("Write at least one learning objective.")],
    )

    def validate_price(self, field) -> None:
        try:
            self.price_value = parse_price(_with_currency(field.data or ""))
        except ValueError:
            message = f'"{field.data}" is not a price: write free, or an amount like 20.00.'
            raise ValidationError(message) from None

    def validate_contact_hours(self, field) -> None:
        try:
            self.hours_value = parse_contact_hours(field.data or "")
        except ValueError as exc:
            raise ValidationError(f"{exc}.") from None

    def validate_objectives(self, field) -> None:
        if len(self.objective_list()) > MAX_OBJECTIVES:
            raise ValidationError(f"At most {MAX_OBJECTIVES} objectives, one per line.")

    def objective_list(self) -> list[str]:
        return [line.strip() for line in (self.objectives.data or "").splitlines() if line.strip()]

    def details(self) -> dict:
        """The validated values, named as the Course columns are."""
        price_cents, currency = self.price_value
        return {
            "title": self.title.data, "summary": self.summary.data, "instructor": self.instructor.data,
            "price_cents": price_cents, "currency": currency, "contact_hours": self.hours_value,
            "level": self.level.data, "category": self.category.data, "objectives": self.objective_list(),
        }


class NewCourseForm(CourseDetailsForm):
    slug = StringField(
        "Address (slug)", filters=[strip],
        validators=[InputRequired("Give the course an address, like own-your-role."), Length(max=80)],
    )
    create = SubmitField("Create the course")

    def validate_slug(self, field) -> None:
        try:
            parse_slug(field.data or "")
        except ValueError as exc:
            raise ValidationError(f"{exc}, like own-your-role.") from None


class CourseSettingsForm(CourseDetailsForm):
    description = TextAreaField(
        "Landing page text (markdown)", render_kw={"rows": 12, "spellcheck": "true"},
        validators=[Length(max=BODY_MAX_CHARS, message="The text is too long: at most 200,000 characters.")],
    )
    approval = SelectField("Approval", choices=APPROVALS, validate_choice=True)
    aota_provider = StringField("AOTA provider name", filters=[strip], validators=[Length(max=200)])
    aota_number = StringField("AOTA course approval number", filters=[strip], validators=[Length(max=40)])
    watch_percent = WholeNumberField(
        "Share of each video to watch (%)",
        validators=[InputRequired("Enter a percentage."), NumberRange(1, 100, "Between 1 and 100.")],
    )
    post_test = BooleanField("Learners must pass the post-test")
    pass_percent = WholeNumberField(
        "Pass mark (%)", validators=[Optional(), NumberRange(1, 100, "Between 1 and 100.")]
    )
    attempts = WholeNumberField(
        "Attempts allowed", validators=[Optional(), NumberRange(1, 99, "Between 1 and 99.")]
    )
    evaluation = BooleanField("Learners must fill in the course evaluation")
    attestation = BooleanField('Learners must attest "I completed this activity myself"')
    community = BooleanField("Private community board for the course's learners")
    sequential = BooleanField("Lessons open in order: each after the one before is done")
    version = HiddenField()
    save = SubmitField("Save settings")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # After the fields' own checks, which end at Optional() when a field is empty.
        aota = self._require(self.approval.data == "aota", {
            self.aota_provider: "Enter the AOTA provider's name.",
            self.aota_number: "Enter the course's AOTA approval number.",
        })
        post_test = self._require(self.post_test.data, {
            self.pass_percent: "Enter the pass mark, like 80.",
            self.attempts: "Enter the attempts allowed, like 2.",
        })
        return aota and post_test and valid

    @staticmethod
    def _require(wanted: bool, messages: dict) -> bool:
        for field, message in messages.items():
            if wanted and not field.errors and field.data in (None, ""):
                field.errors.append(message)
        return not any(field.errors for field in messages)

    def settings(self) -> dict:
        aota = {"provider": self.aota_provider.data, "number": self.aota_number.data}
        post_test = {"pass_percent": self.pass_percent.data, "attempts": self.attempts.data}
        completion = {
            "watch_percent": self.watch_percent.data,
            "post_test": post_test if self.post_test.data else None,
            "evaluation": self.evaluation.data,
            "attestation": self.attestation.data,
        }
        return {
            **self.details(),
            "description_md": normalise_markdown(self.description.data),  # as a file says it
            "approval": {"aota": aota} if self.approval.data == "aota" else None,
            "watch_percent": self.watch_percent.data,
            "completion": completion,
            "community": self.community.data,
            "sequential": self.sequential.data,
        }

    @classmethod
    def of(cls, course: Course, version: str) -> "CourseSettingsForm":
        completion = course.completion or {}
        post_test = completion.get("post_test") or {}
        aota = (course.approval or {}).get("aota") or {}
        return cls(
            formdata=None, title=course.title, summary=course.summary, instructor=course.instructor,
            price=format_price(course.price_cents, course.currency),
            contact_hours=format_hours(Decimal(course.contact_hours)), level=course.level,
            category=course.category, objectives="\n".join(course.objectives or []),
            description=course.description_md, approval="aota" if aota else "state",
            aota_provider=aota.get("provider", ""), aota_number=aota.get("number", ""),
            watch_percent=course.watch_percent, post_test=bool(post_test),
            pass_percent=post_test.get("pass_percent"), attempts=post_test.get("attempts"),
            evaluation=bool(completion.get("evaluation")), attestation=bool(completion.get("attestation")),
            community=course.community, sequential=course.sequential, version=version,
        )


class PublishForm(Form):
    publish_at = DateTimeLocalField("Publish at", format="%Y-%m-%dT%H:%M", validators=[Optional()])
    publish = SubmitField("Publish now")
    schedule = SubmitField("Schedule")
    unpublish = SubmitField("Unpublish")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.schedule.data and self.publish_at.data is None and not self.publish_at.errors:
            self.publish_at.errors.append("Choose the date and time to publish at.")
            return False
        return valid


def _with_currency(text: str) -> str:
    """An amount as authors type it ("20", "$20.00") in the files' form ("20.00 USD")."""
    match = _AMOUNT.match(text.strip())
    return f"{match.group(1)} USD" if match else text
