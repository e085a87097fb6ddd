"""The author's "allow another attempt" form. The post-test and evaluation forms are read from their
questions (grading.read_answers, evaluation.read_evaluation_answers): those questions are data."""

from wtforms import HiddenField, StringField
from wtforms.validators import Length, Optional

from courseware.forms import Form


class GrantAttemptForm(Form):
    note = StringField(
        "Note (optional)",
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[Optional(), Length(max=500, message="Keep the note to 500 characters or fewer.")],
    )
    next = HiddenField()
