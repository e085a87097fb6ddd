"""The learners page's filter (GET) and the author's action forms (POST, CSRF)."""

from wtforms import EmailField, IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from courseware.forms import Form, strip
from courseware.studio.learners import DEFAULT_STUCK_DAYS, STATUSES, LearnerFilters

STATUS_LABELS = {
    "all": "All learners",
    "stuck": "Stuck",
    "not-started": "Not started",
    "completed": "Completed",
    "revoked": "Access revoked",
}


def _one_line(value):
    """An email subject is one header line: a pasted line break must not start another header."""
    return " ".join(value.split()) if isinstance(value, str) else value


class LearnerFilterForm(Form):
    """?status=&days=&q=: a bad value is shown beside its field, with a 400, rather than guessed at."""

    class Meta(Form.Meta):
        csrf = False  # a GET filter changes nothing

    status = SelectField(
        "Show",
        choices=[SelectChoice(value, label) for value, label in STATUS_LABELS.items()],
        default="all",
        validate_choice=True,
    )
    days = IntegerField(
        "Stuck after (days without activity)",
        default=DEFAULT_STUCK_DAYS,
        validators=[Optional(), NumberRange(1, 365, "Enter a whole number of days from 1 to 365.")],
    )
    q = StringField(
        "Name or email",
        filters=[strip],
        validators=[Length(max=100, message="Search with 100 characters or fewer.")],
    )

    def filters(self) -> LearnerFilters:
        status = self.status.data if self.status.data in STATUSES else "all"
        return LearnerFilters(status=status, days=self.days.data or DEFAULT_STUCK_DAYS, q=self.q.data or "")


class GrantAccessForm(Form):
    email = EmailField(
        "Learner's email",
        filters=[strip],
        validators=[
            DataRequired("Enter the learner's email."),
            Email("Enter an email address."),
            Length(max=254),
        ],
    )


class RevokeAccessForm(Form):
    reason = StringField(
        "Reason",
        filters=[strip],
        validators=[
            DataRequired("Enter why access ends; the learner's record keeps it."),
            Length(max=200, message="Keep the reason to 200 characters or fewer."),
        ],
    )


class AnnouncementForm(Form):
    subject = StringField(
        "Subject",
        filters=[_one_line],
        validators=[
            DataRequired("Enter a subject."),
            Length(max=150, message="Keep the subject to 150 characters or fewer."),
        ],
    )
    message = TextAreaField(
        "Message",
        filters=[strip],
        validators=[
            DataRequired("Write the message."),
            Length(max=5000, message="Keep the message to 5,000 characters or fewer."),
        ],
    )
