"""The analytics date range, sent by GET as ?from=YYYY-MM-DD&to=YYYY-MM-DD."""

from datetime import date

from wtforms import StringField

from courseware.forms import Form, strip
from courseware.studio.analytics_period import Period, PeriodError, parse_period


class PeriodForm(Form):
    """Both dates are optional: the range defaults to this month and the eleven before it."""

    class Meta:
        csrf = False

    # `from` is a Python keyword, so the fields carry the URL's names through `name`.
    start = StringField("From", name="from", filters=[strip])
    end = StringField("To", name="to", filters=[strip])

    def period(self, today: date) -> Period | None:
        """The range, or None with the reason beside the field it concerns."""
        try:
            return parse_period(self.start.data, self.end.data, today)
        except PeriodError as error:
            field = self.start if error.field == "from" else self.end
            field.errors = [str(error)]
            return None

    def fill(self, period: Period) -> None:
        """Show the range the page used, defaults included."""
        self.start.data, self.end.data = period.start.isoformat(), period.end.isoformat()
