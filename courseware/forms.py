"""The base of every form: what a person types is cleaned before any validator or service sees it."""

import re

from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import StopValidation

# C0 control characters and DEL, but tab, newline and carriage return. PostgreSQL refuses NUL in
# text outright (a 500 instead of a saved form), and none of them belongs in a name or an email.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# Whitespace, and the characters that take no room (zero-width spaces and joiners, the word joiner,
# a byte-order mark): a title or a name of only these would look empty where it shows.
_AROUND = re.compile(r"^[\s\u200b-\u200d\u2060\ufeff]+|[\s\u200b-\u200d\u2060\ufeff]+$")


def strip(value):
    """A filter: the whitespace and invisible characters around what was typed are not part of it."""
    return _AROUND.sub("", value) if isinstance(value, str) else value


def strip_control_characters(value):
    return _CONTROL_CHARACTERS.sub("", value) if isinstance(value, str) else value


class Form(FlaskForm):
    class Meta(FlaskForm.Meta):
        def bind_field(self, form, unbound_field, options):
            filters = [*unbound_field.kwargs.get("filters", ()), strip_control_characters]
            return unbound_field.bind(form=form, filters=filters, **options)


class WholeNumberField(IntegerField):
    """An IntegerField that says what it wants when it gets something else, and only that: a
    range check after it would add a second message about a number nobody typed."""

    def __init__(self, label=None, validators=None, not_a_number="Enter a whole number, like 90.", **kwargs):
        super().__init__(label, validators, **kwargs)
        self.not_a_number = not_a_number

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(self.not_a_number) from None

    def pre_validate(self, form):
        # Something typed that is not a number: that is the one thing to say. An empty field goes
        # on to the validators (Optional clears it, InputRequired words it).
        typed = bool(self.raw_data and str(self.raw_data[0]).strip())
        if self.process_errors and typed:
            raise StopValidation()
