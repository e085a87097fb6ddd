from wtforms import DateField, EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from courseware.forms import Form, WholeNumberField

MAX_SEATS = 1000


class RedeemForm(Form):
    code = StringField(
        "Seat code",
        validators=[DataRequired("Enter the code from your district, like ABCD-EFGH-JKMN."), Length(max=40)],
    )


class SeatCodeForm(Form):
    course = SelectField("Course", validators=[DataRequired("Choose the course.")])
    organisation = StringField(
        "Organization",
        validators=[DataRequired("Enter who the seats are for, e.g. the school district."), Length(max=200)],
    )
    seats = WholeNumberField(
        "Number of seats",
        not_a_number="Enter a whole number of seats, like 25.",
        validators=[
            InputRequired("Enter how many learners the code enrols."),
            NumberRange(1, MAX_SEATS, f"Between 1 and {MAX_SEATS} seats."),
        ],
    )
    expires_on = DateField("Expires on", validators=[Optional()])


class CompGrantForm(Form):
    email = EmailField(
        "Learner's email",
        filters=[lambda value: value.strip() if value else value],
        validators=[
            DataRequired("Enter the learner's email."),
            Email("Enter an email address."),
            Length(max=254),
        ],
    )
    course = SelectField("Course", validators=[DataRequired("Choose the course.")])
