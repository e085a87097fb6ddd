"""The lesson editor's form: the fields of a lesson file's front matter and body, and the actions."""

from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from courseware.content.validation import parse_slug
from courseware.formatting import slugify
from courseware.forms import Form, WholeNumberField, strip
from courseware.studio.editor import LessonContent

# About 200 kB of markdown: far more than a lesson needs, and what the live preview accepts too.
BODY_MAX_CHARS = 200_000
MAX_DURATION_SECONDS = 24 * 3600
MAX_CREDIT_MINUTES = 100 * 60  # the file format's largest course: 100 contact hours


class LessonForm(Form):
    title = StringField(
        "Title", filters=[strip], validators=[DataRequired("Give the lesson a title."), Length(max=200)]
    )
    body = TextAreaField(
        "Lesson text (markdown)",
        render_kw={"rows": 22, "spellcheck": "true"},
        validators=[Length(max=BODY_MAX_CHARS, message="The text is too long: at most 200,000 characters.")],
    )
    duration_seconds = WholeNumberField(
        "Video length in seconds",
        validators=[Optional(), NumberRange(1, MAX_DURATION_SECONDS, "Between 1 and 86,400 seconds.")],
    )
    credit_minutes = WholeNumberField(
        "Credit minutes",
        validators=[Optional(), NumberRange(0, MAX_CREDIT_MINUTES, "Between 0 and 6,000 minutes.")],
    )
    preview = BooleanField("Free preview: visitors may open this lesson without enrolling")
    publish_at = DateTimeLocalField("Publish at", format="%Y-%m-%dT%H:%M", validators=[Optional()])
    note = StringField("Note for the history", filters=[strip], validators=[Length(max=200)])
    version = HiddenField()
    show_preview = SubmitField("Preview")
    save_draft = SubmitField("Save draft")
    publish = SubmitField("Publish now")
    schedule = SubmitField("Schedule")

    def __init__(self, *args, has_video: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.has_video = has_video

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # After the fields' own checks: Optional() ends a field's chain when it is empty.
        return self._check_duration() and self._check_schedule() and valid

    def _check_duration(self) -> bool:
        """As in the files: a video needs its length (watch time is measured against it), a reading none."""
        field = self.duration_seconds
        if field.errors:
            return False
        if self.has_video and field.data is None:
            field.errors.append("Enter the video's length in seconds.")
        elif not self.has_video and field.data is not None:
            field.errors.append("Only a lesson with a video has a length: leave this empty.")
        return not field.errors

    def _check_schedule(self) -> bool:
        field = self.publish_at
        if self.schedule.data and field.data is None and not field.errors:
            field.errors.append("Choose the date and time to publish at.")
        return not field.errors

    def content(self) -> LessonContent:
        return LessonContent(
            title=self.title.data,
            body_md=(self.body.data or "").replace("\r\n", "\n"),
            duration_seconds=self.duration_seconds.data,
            credit_minutes=self.credit_minutes.data,
            preview=self.preview.data,
        )


class NewLessonForm(LessonForm):
    slug = StringField("Address (slug)", filters=[strip], validators=[Length(max=80)])

    def validate_slug(self, field) -> None:
        """Left empty, the address is made from the title ("Reading the Classroom" ->
        reading-the-classroom), as the author would write it."""
        if not field.data:
            field.data = slugify(self.title.data or "", "lesson", max_length=80)
        try:
            parse_slug(field.data)
        except ValueError as exc:
            raise ValidationError(f"{exc}, like reading-the-classroom.") from None


class RestoreForm(Form):
    """Only the CSRF token: restoring takes no input."""
