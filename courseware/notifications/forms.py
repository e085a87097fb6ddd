from wtforms import BooleanField, EmailField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length

from courseware.forms import Form, strip
from courseware.notifications.mailing_list import CONSENT
from courseware.notifications.models import EmailChoice


class FreeDownloadForm(Form):
    first_name = StringField(
        "First name", filters=[strip], validators=[DataRequired("Enter your first name."), Length(max=80)]
    )
    email = EmailField(
        "Email",
        filters=[strip],
        validators=[
            DataRequired("Enter your email address."),
            Email("Enter an email address."),
            Length(max=254),
        ],
    )
    consent = BooleanField(
        CONSENT,
        validators=[DataRequired("Tick the box to get the download: it comes by email, with the list.")],
    )


EMAIL_CHOICES = [
    SelectChoice(EmailChoice.EACH, "Email me each notification as it happens"),
    SelectChoice(EmailChoice.DAILY, "Email me one summary a day"),
    SelectChoice(EmailChoice.NEVER, "Don't email me: I'll check the bell"),
]


class NotificationSettingsForm(Form):
    emails = SelectField("Notification emails", choices=EMAIL_CHOICES, validate_choice=True)
