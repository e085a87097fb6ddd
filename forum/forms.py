"""The forum's forms. Messages say what to do and sit beside the field; what was typed is kept."""

from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional

from courseware.forms import Form, WholeNumberField, strip
from courseware.web import MAX_ID
from forum.models import BODY_MAX, REPORT_REASONS, TITLE_MAX, WATCH_LEVELS
from forum.moderation import POST_ACTIONS, REPORT_ACTIONS, TOPIC_ACTIONS

SUSPENSION_DAYS_MAX = 365


def _body_field(label: str) -> TextAreaField:
    return TextAreaField(
        label,
        filters=[strip],
        validators=[
            DataRequired("Write something before you post."),
            Length(max=BODY_MAX, message=f"Keep a post to {BODY_MAX:,} characters or fewer."),
        ],
    )


class PostForm(Form):
    """A reply, or an edit of a post's body. "Preview" shows the post as it will look, saves nothing."""

    body = _body_field("Your reply")
    preview = SubmitField("Preview")
    submit = SubmitField("Post reply")


def _title_field() -> StringField:
    return StringField(
        "Title",
        filters=[strip],
        validators=[
            DataRequired("Give your topic a title."),
            Length(max=TITLE_MAX, message=f"Keep the title to {TITLE_MAX} characters or fewer."),
        ],
    )


class EditPostForm(Form):
    body = _body_field("Post")
    preview = SubmitField("Preview")
    submit = SubmitField("Save changes")


class EditOpeningPostForm(EditPostForm):
    """The opening post carries its topic's title: a typo there is corrected with the post."""

    title = _title_field()


class TopicForm(Form):
    title = _title_field()
    body = _body_field("Your post")
    preview = SubmitField("Preview")
    submit = SubmitField("Post topic")


class TopicModerationForm(Form):
    action = HiddenField(validators=[AnyOf(TOPIC_ACTIONS, message="Unknown action.")])


class PostModerationForm(Form):
    action = HiddenField(validators=[AnyOf(POST_ACTIONS, message="Unknown action.")])


class ReportActionForm(Form):
    action = HiddenField(validators=[AnyOf(REPORT_ACTIONS, message="Unknown action.")])


class AcceptForm(Form):
    """Empty `post` unmarks the accepted answer."""

    # Bounded like the ids in URLs: a larger number would overflow PostgreSQL's integer (a 500).
    post = IntegerField(validators=[Optional(), NumberRange(1, MAX_ID)])


class ReportForm(Form):
    reason = RadioField(
        "Why are you reporting this post?",
        choices=[SelectChoice(str(reason), label) for reason, label in REPORT_REASONS.items()],
        validators=[InputRequired("Choose a reason.")],
    )
    details = TextAreaField(
        "Anything a moderator should know (optional)",
        filters=[strip],
        validators=[Length(max=1000, message="Keep it to 1,000 characters or fewer.")],
    )
    submit = SubmitField("Send report")


class SuspendForm(Form):
    days = WholeNumberField(
        "Suspend for how many days",
        not_a_number="Enter a whole number of days, like 7.",
        validators=[
            InputRequired("Give the number of days."),
            NumberRange(1, SUSPENSION_DAYS_MAX, message=f"Between 1 and {SUSPENSION_DAYS_MAX} days."),
        ],
    )
    reason = TextAreaField(
        "Reason (the member sees it)",
        filters=[strip],
        validators=[
            DataRequired("Say why: the member sees it."),
            Length(max=500, message="Keep it to 500 characters."),
        ],
    )
    submit = SubmitField("Suspend posting")


class MoveForm(Form):
    board = SelectField("Move to board", coerce=int, validate_choice=True)
    submit = SubmitField("Move topic")


class WatchForm(Form):
    level = SelectField(
        "Notifications",
        choices=[SelectChoice(str(level), label) for level, label in WATCH_LEVELS.items()],
        validate_choice=True,
    )
