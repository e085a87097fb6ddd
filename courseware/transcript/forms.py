"""The form for a certificate earned elsewhere. Messages say what to do, beside the field."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask_wtf.file import FileField
from wtforms import DateField, RadioField, SelectChoice, StringField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from courseware.forms import Form, strip
from courseware.transcript.models import ActivityFormat
from courseware.transcript.uploads import UploadRejected, check_pdf

MAX_HOURS = Decimal(500)
CENT = Decimal("0.01")


class ExternalCreditForm(Form):
    title = StringField(
        "Course or activity title",
        filters=[strip],
        validators=[DataRequired("Enter the title printed on the certificate."), Length(max=200)],
    )
    provider = StringField(
        "Provider",
        filters=[strip],
        validators=[
            DataRequired("Enter who gave the course, as printed on the certificate."),
            Length(max=200),
        ],
    )
    completed_on = DateField(
        "Completion date",
        validators=[InputRequired("Enter the date you completed it.")],
    )
    contact_hours = StringField(
        "Contact hours",
        filters=[strip],
        validators=[DataRequired("Enter the contact hours printed on the certificate, for example 1.5.")],
    )
    format = RadioField(
        "Format",
        choices=[
            SelectChoice(ActivityFormat.SELF_STUDY.value, "Self-study (on-demand, recorded or home study)"),
            SelectChoice(ActivityFormat.LIVE.value, "Live (in person, or online in real time)"),
        ],
        default=ActivityFormat.SELF_STUDY.value,
        validators=[InputRequired("Choose self-study or live.")],
    )
    certificate = FileField("Certificate PDF (optional)")

    def __init__(self, *args, today: date, max_upload_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.max_upload_bytes = max_upload_bytes

    def validate_completed_on(self, field) -> None:
        # One day of slack: the learner may be a time zone ahead of the date we think it is.
        if field.data and field.data > self.today + timedelta(days=1):
            raise ValidationError("The completion date cannot be in the future.")
        if field.data and field.data.year < 1950:
            raise ValidationError("Check the year of the completion date.")

    def validate_contact_hours(self, field) -> None:
        self.hours = parse_hours(field.data)

    def validate_certificate(self, field) -> None:
        if field.data:
            try:
                check_pdf(field.data.stream, self.max_upload_bytes)
            except UploadRejected as problem:
                raise ValidationError(str(problem)) from None


def parse_hours(text: str | None) -> Decimal:
    """ "1.5" -> Decimal("1.50"); anything else that is not 0.01 to 500 hours is a ValidationError."""
    try:
        hours = Decimal(text or "")
    except InvalidOperation:
        hours = None
    if hours is None or not hours.is_finite():
        raise ValidationError("Enter the hours as a number, for example 1.5.")
    if Decimal(0) < hours <= MAX_HOURS:  # compared before rounding: 1e999999 cannot be quantized
        hours = hours.quantize(CENT, rounding=ROUND_HALF_UP)
        if hours > 0:
            return hours
    raise ValidationError(f"Enter between 0.01 and {MAX_HOURS} hours.")
