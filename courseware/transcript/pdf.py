"""The transcript as a PDF (fpdf2, US letter portrait): learner, licences and their cycles, activities.

Built from the same Transcript the page shows, in the embedded Unicode fonts the certificates use,
so an accented legal name prints exactly as the learner wrote it.
"""

from datetime import date
from decimal import Decimal

from fpdf import FPDF
from fpdf.fonts import FontFace

from courseware.certificates.fonts import SANS, SERIF, printable, register_fonts
from courseware.content.ce import format_hours
from courseware.transcript.cycles import CycleState
from courseware.transcript.exports import FORMAT_LABELS
from courseware.transcript.services import LicenceSummary, Transcript

INK = (27, 36, 40)
MUTED = (74, 90, 97)
BRAND = (31, 78, 95)
LINE = (207, 216, 220)
MARGIN = 16  # mm


def render_transcript_pdf(transcript: Transcript, generated_on: date, site_name: str) -> bytes:
    pdf = _TranscriptPDF(site_name, generated_on, _document_text(transcript))
    _heading(pdf, transcript)
    _licences(pdf, transcript.licences)
    _activities(pdf, transcript)
    return bytes(pdf.output())


def long_date(day: date) -> str:
    return f"{day.strftime('%B')} {day.day}, {day.year}"


def short_date(day: date) -> str:
    return f"{day.strftime('%b')} {day.day}, {day.year}"


class _TranscriptPDF(FPDF):
    def __init__(self, site_name: str, generated_on: date, text: str):
        super().__init__(orientation="portrait", unit="mm", format="letter")
        self.site_name = site_name
        self.generated_on = generated_on
        register_fonts(self, text)
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN + 4)
        self.set_title(f"Continuing education transcript: {site_name}")
        self.set_creator(site_name)
        self.add_page()

    def style(
        self, size: float, bold: bool = False, color: tuple[int, int, int] = INK, family: str = SANS
    ) -> None:
        self.set_font(family, "B" if bold else "", size)
        self.set_text_color(*color)

    def paragraph(self, text: str, size: float = 9.5, bold: bool = False, color=INK, gap: float = 1) -> None:
        self.style(size, bold, color)
        self.multi_cell(0, size * 0.45, printable(text), align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(gap)

    def section(self, title: str) -> None:
        self.ln(3)
        self.style(12.5, bold=True, color=BRAND)
        self.cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
        self.set_draw_color(*LINE)
        self.line(MARGIN, self.get_y(), self.w - MARGIN, self.get_y())
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-MARGIN)
        self.style(8, color=MUTED)
        generated = f"{self.site_name} · generated {long_date(self.generated_on)}"
        self.cell(0, 5, generated, align="L")
        self.set_x(MARGIN)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="R")


def _document_text(transcript: Transcript) -> str:
    """Everything a learner or a rules file put in the document: it decides whether the wide fallback
    font (Greek, Cyrillic, ...) is needed; our own wording is Latin."""
    parts = [transcript.legal_name, transcript.credential or ""]
    parts += [f"{a.title} {a.provider} {a.reference}" for a in transcript.activities]
    parts += [f"{s.licence.number} {s.rule.board if s.rule else ''}" for s in transcript.licences]
    return printable(" ".join(parts))


def _heading(pdf: _TranscriptPDF, transcript: Transcript) -> None:
    pdf.style(10, color=MUTED)
    pdf.cell(0, 5, pdf.site_name, new_x="LMARGIN", new_y="NEXT")
    pdf.style(24, color=BRAND, family=SERIF)
    pdf.cell(0, 11, "Continuing Education Transcript", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    name = transcript.legal_name + (f", {transcript.credential}" if transcript.credential else "")
    pdf.style(18, family=SERIF)
    pdf.multi_cell(0, 8, printable(name), new_x="LMARGIN", new_y="NEXT")
    pdf.paragraph(f"Generated {long_date(pdf.generated_on)}", size=9.5, color=MUTED)


def _licences(pdf: _TranscriptPDF, licences: list[LicenceSummary]) -> None:
    pdf.section("Licenses and renewal cycles")
    if not licences:
        pdf.paragraph("No licenses recorded. Add them to your profile to see hours per renewal cycle.")
    for summary in licences:
        licence = summary.licence
        pdf.paragraph(
            f"{summary.state_name} · {licence.profession} · license {licence.number}", size=10.5, bold=True
        )
        for line in licence_lines(summary):
            pdf.paragraph(line, size=9.5, gap=0.3)
        pdf.ln(2)


def licence_lines(summary: LicenceSummary) -> list[str]:
    """The per-cycle summary in plain sentences (the PDF's wording for what the page shows)."""
    rule, hours, cycle = summary.rule, summary.hours, summary.cycle
    if rule is None:
        return [
            f"We don't have renewal rules for {summary.licence.state} yet; check your board's requirements."
        ]
    requirement = _requirement(rule.hours_per_cycle, rule.cycle_years, rule.unit, rule.units_per_cycle)
    if cycle is None or hours is None:
        return [f"{rule.board}: {requirement}.", "No renewal date recorded: add it in your profile."]
    span = f"{long_date(cycle.first_day)} to {long_date(cycle.ends_on)}"
    lines = [f"{rule.board}: {requirement}."]
    if summary.status == CycleState.ENDED:
        lines.append(f"The cycle {span} has ended: update your renewal date in your profile.")
    elif summary.status == CycleState.NOT_STARTED:
        lines.append(f"The cycle {span} has not started yet: check your renewal date.")
    else:
        lines.append(f"Current cycle: {span}.")
    counted = f"{format_hours(hours.counted)} of {format_hours(hours.required)} hours counted"
    lines.append(f"{counted}: {_shortfall(summary)}.")
    lines.append(f"NBCOT PDUs earned in the cycle: {format_hours(hours.pdus)}.")
    if rule.self_study_max_hours is not None:
        over = hours.self_study_over_limit
        extra = f" ({format_hours(over)} self-study hours over the limit do not count)" if over else ""
        lines.append(f"Self-study counts up to {format_hours(rule.self_study_max_hours)} hours{extra}.")
    return lines


def _shortfall(summary: LicenceSummary) -> str:
    needed = summary.hours.needed
    if summary.hours.met:
        return "requirement met"
    if summary.status == CycleState.ENDED:
        return f"{format_hours(needed)} short when the cycle ended"
    return f"{format_hours(needed)} still needed"


def _requirement(hours: Decimal, years: int, unit: str, units: Decimal) -> str:
    in_hours = f"{format_hours(hours)} hours every {years} years"
    return in_hours if unit.lower() == "hours" else f"{format_hours(units)} {unit} ({in_hours})"


def _activities(pdf: _TranscriptPDF, transcript: Transcript) -> None:
    pdf.section("Activities")
    if not transcript.activities:
        pdf.paragraph("No certificates yet.")
        return
    pdf.style(8.5)
    widths = (22, 73, 19, 14, 13, 13, 29.9)
    headings = ("Date", "Title and provider", "Format", "Hours", "CEUs", "PDUs", "Serial / id")
    with pdf.table(
        col_widths=widths,
        text_align=("LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "LEFT"),
        borders_layout="HORIZONTAL_LINES",
        headings_style=FontFace(emphasis="BOLD", color=BRAND),
        line_height=4.2,
        padding=(1.2, 1),
        width=pdf.epw,
    ) as table:
        table.row(headings)
        for activity in transcript.activities:
            table.row(
                [
                    short_date(activity.completed_on),
                    f"{activity.title}\n{activity.provider}" if activity.provider else activity.title,
                    FORMAT_LABELS.get(activity.format, activity.format),
                    format_hours(activity.contact_hours),
                    activity.ceus_text,
                    format_hours(activity.pdus),
                    activity.reference,
                ]
            )
    count = len(transcript.activities)
    pdf.ln(3)
    pdf.paragraph(
        f"Total: {count} {'activity' if count == 1 else 'activities'} · "
        f"{format_hours(transcript.total_hours)} contact hours · "
        f"{format_hours(transcript.total_pdus)} NBCOT PDUs",
        size=10,
        bold=True,
    )
    pdf.paragraph(
        "Certificates issued here can be verified at the address printed on each certificate. Activities "
        "marked EXT- were recorded by the learner; NBCOT PDUs for them are counted at 1 per contact hour.",
        size=8.5,
        color=MUTED,
    )
