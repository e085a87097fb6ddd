"""The outline's forms: a module's title and intro, one move, and the JSON of a whole new order."""

from wtforms import (
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from courseware.content.export_files import normalise_markdown
from courseware.forms import Form, strip
from courseware.studio.editor_forms import BODY_MAX_CHARS
from courseware.studio.outline import Order

MAX_ITEMS = 2000  # far more modules and lessons than a course has; a bound on what is parsed


class ModuleForm(Form):
    title = StringField(
        "Title", filters=[strip], validators=[DataRequired("Give the module a title."), Length(max=200)]
    )
    intro = TextAreaField(
        "Introduction (markdown)", render_kw={"rows": 8},
        validators=[Length(max=BODY_MAX_CHARS, message="The text is too long: at most 200,000 characters.")],
    )
    save = SubmitField("Save module")

    def intro_md(self) -> str:
        return normalise_markdown(self.intro.data)  # as a module.md file says it


class RemoveModuleForm(Form):
    """Only the CSRF token: removing takes no input."""


class MoveForm(Form):
    """Each row's Move up / Move down buttons, and a lesson's "Move to module" select."""

    kind = SelectField(choices=[SelectChoice("module", "module"), SelectChoice("lesson", "lesson")])
    item_id = IntegerField(validators=[DataRequired()])
    module_id = IntegerField(validators=[Optional()])
    version = HiddenField()
    up = SubmitField("Move up")
    down = SubmitField("Move down")
    to_module = SubmitField("Move")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        chosen = (self.up.data, self.down.data, bool(self.to_module.data and self.module_id.data))
        return valid and sum(chosen) == 1 and (self.kind.data == "lesson" or not self.module_id.data)


def parse_order(payload: object) -> Order | None:
    """{"modules": [{"id": 1, "lessons": [3, 2]}, ...]} -> [(1, [3, 2]), ...]; None if malformed."""
    modules = payload.get("modules") if isinstance(payload, dict) else None
    if not isinstance(modules, list) or len(modules) > MAX_ITEMS:
        return None
    order = []
    for entry in modules:
        module_id = entry.get("id") if isinstance(entry, dict) else None
        lessons = entry.get("lessons") if isinstance(entry, dict) else None
        if not _is_id(module_id) or not isinstance(lessons, list) or not all(map(_is_id, lessons)):
            return None
        order.append((module_id, list(lessons)))
    return order


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31
