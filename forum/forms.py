"""The forum's forms. Messages say what to do and sit beside the field; what was typed is kept."""

from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length

from courseware.forms import Form
from forum.models import BODY_MAX, TITLE_MAX
from forum.moderation import POST_ACTIONS, TOPIC_ACTIONS


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _body_field(label: str) -> TextAreaField:
    return TextAreaField(
        label,
        filters=[_strip],
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


class EditPostForm(Form):
    body = _body_field("Post")
    preview = SubmitField("Preview")
    submit = SubmitField("Save changes")


class TopicForm(Form):
    title = StringField(
        "Title",
        filters=[_strip],
        validators=[
            DataRequired("Give your topic a title."),
            Length(max=TITLE_MAX, message=f"Keep the title to {TITLE_MAX} characters or fewer."),
        ],
    )
    body = _body_field("Your post")
    preview = SubmitField("Preview")
    submit = SubmitField("Post topic")


class TopicModerationForm(Form):
    action = HiddenField(validators=[AnyOf(TOPIC_ACTIONS, message="Unknown action.")])


class PostModerationForm(Form):
    action = HiddenField(validators=[AnyOf(POST_ACTIONS, message="Unknown action.")])
