"""Certificate forms: the learner's confirmation, and the author's revoke and reissue."""

from wtforms import BooleanField, DateField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from courseware.accounts.models import Licence, User
from courseware.forms import Form, strip

NO_LICENCE = "none"


def _legal_name_field() -> StringField:
    return StringField(
        "Legal name to print",
        filters=[strip],
        validators=[
            DataRequired("Enter your legal name as your licensing board knows it."),
            Length(max=160, message="Use at most 160 characters."),
        ],
    )


class ConfirmForm(Form):
    legal_name = _legal_name_field()
    licence = SelectField("License to print", validate_choice=True)
    attest = BooleanField("I completed this activity myself.")

    @classmethod
    def for_learner(cls, user: User, attestation_required: bool, **kwargs) -> "ConfirmForm":
        form = cls(data={"legal_name": user.legal_name or ""}, **kwargs)
        choices = [SelectChoice(NO_LICENCE, "Don't print a license number")]
        for licence in user.licences:
            label = f"{licence.state} {licence.profession} license {licence.number}"
            choices.append(SelectChoice(str(licence.id), label))
        form.licence.choices = choices
        if form.licence.data is None:
            form.licence.data = choices[1].value if len(choices) > 1 else NO_LICENCE
        if not attestation_required:
            del form.attest
        return form

    def validate_attest(self, field) -> None:
        if not field.data:
            raise ValidationError("Tick this box to confirm you completed the activity yourself.")

    def chosen_licence(self, user: User) -> Licence | None:
        """One of the learner's own licences (the choices offer only those), or None."""
        return next((licence for licence in user.licences if str(licence.id) == self.licence.data), None)


class RevokeForm(Form):
    # Not `reason`: the reissue form beside it on the evidence page has a field of that name.
    revoke_reason = TextAreaField(
        "Reason",
        filters=[strip],
        validators=[
            DataRequired("Say why the certificate is revoked; the verification page shows it."),
            Length(max=500, message="Use at most 500 characters."),
        ],
    )


class ReissueForm(Form):
    legal_name = _legal_name_field()
    reason = StringField(
        "Reason for the correction",
        filters=[strip],
        validators=[
            DataRequired("Say what was corrected, for example “legal name misspelled”."),
            Length(max=500, message="Use at most 500 characters."),
        ],
    )


class RegisterFilterForm(Form):
    """The register's date range (completion dates) and course; sent by GET, so no CSRF token."""

    class Meta:
        csrf = False

    start = DateField("Completed from", validators=[Optional()])
    end = DateField("Completed to", validators=[Optional()])
    course = SelectField("Course", default="")

    def validate_end(self, field) -> None:
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError("The end date is before the start date.")
