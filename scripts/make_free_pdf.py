#!/usr/bin/env python3
"""Make the printable PDFs that the demo courses attach as downloads.

    courses/tips-for-collaboration/media/tips-for-successful-collaboration-with-teachers.pdf
        the free handout (also the mailing-list opt-in download), 3 pages
    courses/from-isolation-to-integration/media/integration-reflection-worksheet.pdf
        the one-page worksheet for the course's last, reading-only lesson
    courses/own-your-role/media/role-reflection-worksheet.pdf
        the one-page worksheet for the "Advocating Gently but Persistently" lesson

Needs fpdf2 and the DejaVu fonts (Debian: fonts-dejavu-core). Run with the project's virtualenv:

    .venv/bin/pip install fpdf2
    .venv/bin/python scripts/make_free_pdf.py

The output is deterministic (fixed creation date), so re-running without changes gives identical files.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF

ROOT = Path(__file__).resolve().parent.parent
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
AUTHOR = "Jennifer Huff, OTR, MOT"
BUSINESS = "Jennifer Huff, LLC"
WEBSITE = "jenniferhuffllc.com"
FIXED_DATE = datetime(2025, 6, 1, tzinfo=UTC)

TEAL = (31, 78, 95)
GOLD = (242, 184, 75)
INK = (33, 37, 41)
MUTED = (90, 100, 108)
PALE = (236, 243, 245)


def main() -> int:
    outputs = {
        "tips-for-collaboration/media/tips-for-successful-collaboration-with-teachers.pdf": tips_handout,
        "from-isolation-to-integration/media/integration-reflection-worksheet.pdf": integration_worksheet,
        "own-your-role/media/role-reflection-worksheet.pdf": role_worksheet,
    }
    for relative, build in outputs.items():
        pdf = build()
        path = ROOT / "courses" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        pdf.output(str(path))
        print(f"wrote courses/{relative}: {pdf.pages_count} page(s), {path.stat().st_size // 1024} KB")
    return 0


class Handout(FPDF):
    """Letter-size page with a footer, DejaVu fonts and a few layout helpers."""

    def __init__(self, title: str, subtitle: str):
        super().__init__(format="Letter", unit="mm")
        self.doc_title = title
        for style, name in (
            ("", "DejaVuSans.ttf"),
            ("B", "DejaVuSans-Bold.ttf"),
            ("I", "DejaVuSans-Oblique.ttf"),
            ("BI", "DejaVuSans-BoldOblique.ttf"),
        ):
            self.add_font("DejaVu", style, str(FONT_DIR / name))
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=18)
        self.set_title(title)
        self.set_author(AUTHOR)
        self.set_creator(BUSINESS)
        self.set_creation_date(FIXED_DATE)
        self.add_page()
        self.banner(title, subtitle)

    def footer(self):
        self.set_y(-13)
        self.set_font("DejaVu", "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, f"{self.doc_title}  \u00b7  {BUSINESS}  \u00b7  {WEBSITE}", align="L")
        self.cell(0, 5, f"{self.page_no()}/{{nb}}", align="R")

    def banner(self, title: str, subtitle: str):
        self.set_fill_color(*TEAL)
        self.rect(0, 0, self.w, 30, style="F")
        self.set_fill_color(*GOLD)
        self.rect(0, 30, self.w, 1.5, style="F")
        self.set_xy(self.l_margin, 7)
        self.set_text_color(255, 255, 255)
        self.set_font("DejaVu", "B", 17)
        self.cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
        self.set_font("DejaVu", "", 9.5)
        self.cell(0, 6, subtitle, new_x="LMARGIN", new_y="NEXT")
        self.set_y(37)

    def keep_space(self, height: float):
        """Start a new page unless `height` mm fit above the bottom margin (keeps a heading with its block)"""
        if self.get_y() + height > self.h - self.b_margin:
            self.add_page()

    @property
    def body_width(self) -> float:
        return self.w - self.l_margin - self.r_margin

    def heading(self, text: str, size: float = 12.5):
        self.keep_space(30)
        self.ln(2)
        self.set_font("DejaVu", "B", size)
        self.set_text_color(*TEAL)
        self.multi_cell(0, 6.5, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(0.5)

    def para(self, text: str, size: float = 10, style: str = "", gap: float = 1.8):
        self.set_font("DejaVu", style, size)
        self.set_text_color(*INK)
        self.multi_cell(0, 5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(gap)

    def bullets(self, items: list[str], size: float = 10):
        self.set_font("DejaVu", "", size)
        self.set_text_color(*INK)
        for item in items:
            self.set_x(self.l_margin + 2)
            self.cell(5, 5, "\u2022")
            self.multi_cell(
                self.body_width - 7, 5, item, markdown=True, align="L", new_x="LMARGIN", new_y="NEXT"
            )
            self.ln(0.6)
        self.ln(1.2)

    def write_lines(self, count: int, gap: float = 7.5):
        self.set_draw_color(180, 190, 196)
        self.set_line_width(0.2)
        for _ in range(count):
            self.ln(gap)
            self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(2.5)

    def prompt(self, number: str, question: str, lines: int, gap: float = 6.6):
        self.set_font("DejaVu", "B", 9.8)
        self.set_text_color(*TEAL)
        self.cell(7, 5, number)
        self.set_text_color(*INK)
        self.set_font("DejaVu", "", 9.8)
        self.multi_cell(self.body_width - 7, 5, question, align="L", new_x="LMARGIN", new_y="NEXT")
        self.write_lines(lines, gap=gap)


# --- Tips for Successful Collaboration with Teachers --------------------------------------------------------


def tips_handout() -> Handout:
    pdf = Handout(
        "Tips for Successful Collaboration with Teachers",
        f"A free guide for school-based OT practitioners  \u00b7  {AUTHOR}",
    )
    pdf.alias_nb_pages()
    pdf.para(
        "Team collaboration is a key part of our school-based role. Teachers are the experts in their "
        "classrooms, their curriculum and their students. We bring a lens they may not have: how a student "
        "takes part in the tasks and routines of the school day, what gets in the way, and which supports "
        "could help. When we put those together, students do better. Here are the habits that make that "
        "partnership work."
    )

    pdf.heading("1. Start with shared goals")
    pdf.para(
        "Begin with what the teacher sees, not with your evaluation results. Teachers think in routines "
        "(writing block, centers, lining up, unpacking), so start there. Ask:"
    )
    pdf.bullets(
        [
            '"When during the day is this student having the hardest time?"',
            '"What does it look like when it\'s going well?"',
            '"What have you already tried? What helped, even a little?"',
            '"If one thing could be easier for this student, what would it be?"',
        ]
    )
    pdf.para(
        'Then put the goal you share into one sentence, in classroom words, and read it back: "So we both '
        'want Maya to start her journal writing with the class, without an adult sitting next to her." '
        'Swap jargon for the classroom\'s language: "bilateral coordination" becomes "holding the paper '
        'while she writes."'
    )

    pdf.heading("2. Set a communication rhythm")
    pdf.para(
        "Short and regular beats long and occasional. Five minutes every week or two fits a teacher's day, "
        "lets you adjust strategies while they're fresh and builds trust. Ask each teacher, \"What's the "
        'easiest way for us to stay in touch?" and choose together:'
    )
    pdf.bullets(
        [
            "the last five minutes of your time in the classroom;",
            "a shared log or notebook that stays in the classroom;",
            "a short weekly email with the same three headings;",
            "a few minutes at a grade-level or team meeting.",
        ]
    )
    pdf.para("Protect planning periods and the end of the day. In an email, ask one clear question at most.")

    pdf.keep_space(105)
    pdf.heading("3. Use a five-minute check-in")
    pdf.para(
        "Ask the same three questions every time, so check-ins stay quick and predictable, and always end "
        "with one next step, a name and a date. A template you can copy:"
    )
    check_in_template(pdf)

    pdf.heading("4. Embed strategies in the routines that already exist")
    pdf.para(
        "A strategy that fits an existing routine is far more likely to be used than a perfect strategy "
        "that doesn't. Before you recommend anything, ask together:"
    )
    pdf.bullets(
        [
            "**Where will it live?** Taped to the desk, inside the writing folder, clipped to the center "
            "basket.",
            "**When will it be used?** Which routine, and at what point in it.",
            "**Who will set it up?** The student, the teacher, a paraprofessional, a classmate.",
        ]
    )
    pdf.para("Examples that fit:", style="B", gap=1)
    pdf.bullets(
        [
            "Getting started on writing: a sentence starter card kept inside the journal.",
            "Paper sliding: a strip of non-slip liner under the writing area, set up once.",
            'Lost at centers: a picture checklist on each center basket and a "finished" bin.',
            "Hard transitions: the same two-minute warning every time, plus a job during the transition.",
        ]
    )
    pdf.para(
        "Many supports help other students too. Offer them to the whole class when you can, so no one is "
        "singled out and the teacher gets more value from the change."
    )

    pdf.heading("5. Show, don't just tell")
    pdf.bullets(
        [
            "**Model** the strategy with the student during the real routine while the adult watches.",
            "**Coach** the teacher or paraprofessional while they try it; name what went well.",
            "**Leave a card** with the steps (when, what, how to help, signs it's working) where the "
            "routine happens.",
            "**Fade and follow up:** check in within a week, and adjust the strategy to fit the routine, "
            "not the "
            "other way around.",
        ]
    )

    pdf.heading("6. Measure progress together")
    pdf.para(
        "The people who are there every day can help you see progress. Pick a method that takes seconds: a "
        "tally on a sticky note, a 1\u20133 rating at the end of the routine, or a dated work sample each "
        "week. Look at it together every few weeks and decide: keep, adjust or fade the support."
    )

    pdf.keep_space(85)
    pdf.heading("7. A sample email to a teacher")
    sample_email(pdf)

    pdf.heading("Want to go further?")
    pdf.para(
        "From Isolation to Integration: Effective OT in the Natural School Environment (6.75 contact hours) "
        'covers collaboration, embedding strategies, the "just right" support, starting small in a '
        "pull-out district and measuring progress together, with a private community where I answer "
        f"questions. Own Your Role: Insights & Advocacy for School-Based OT Practitioners (1 hour) helps you "
        f"explain your role and advocate for best practice. Find both at {WEBSITE}.",
        size=9.5,
    )
    return pdf


def check_in_template(pdf: Handout):
    rows = [
        ("Date / teacher / student", 8),
        ("Routine we're focusing on", 8),
        ("What's working?", 15),
        ("What's hard right now?", 15),
        ("Our one next step (who, by when)", 15),
        ("Next check-in", 8),
    ]
    label_width = 62
    pdf.keep_space(sum(h for _, h in rows))
    pdf.set_draw_color(*TEAL)
    pdf.set_line_width(0.3)
    for label, height in rows:
        pdf.set_fill_color(*PALE)
        pdf.set_font("DejaVu", "B", 9)
        pdf.set_text_color(*TEAL)
        y = pdf.get_y()
        pdf.rect(pdf.l_margin, y, label_width, height, style="DF")
        pdf.rect(pdf.l_margin + label_width, y, pdf.body_width - label_width, height, style="D")
        pdf.set_xy(pdf.l_margin + 2, y + 1.5)
        pdf.multi_cell(label_width - 4, 4.5, label, align="L")
        pdf.set_xy(pdf.l_margin, y + height)
    pdf.ln(4)


def sample_email(pdf: Handout):
    email = [
        ("B", "Subject: A quick idea for Maya during writing block"),
        ("", "Hi Ms. Reyes,"),
        (
            "",
            "Thanks for chatting with me on Tuesday. You mentioned that getting started on journal writing "
            "is the "
            "hardest part of Maya's day, and I'd love to help with that.",
        ),
        (
            "",
            "Would it work for me to come in during writing block on Thursdays for the next three weeks? "
            "I'd work with Maya at her desk during the real assignment, so you won't need to plan anything "
            "different. I'll "
            "check in with you for two minutes at the end so we can choose our next step together.",
        ),
        ("", "If another time works better, just let me know. Thank you for everything you do for her!"),
        ("", "Jennifer\nSchool-Based Occupational Therapist"),
    ]
    top = pdf.get_y()
    pdf.set_x(pdf.l_margin + 5)
    for style, text in email:
        pdf.set_font("DejaVu", style, 9.6)
        pdf.set_text_color(*INK)
        pdf.set_x(pdf.l_margin + 5)
        pdf.multi_cell(pdf.body_width - 8, 4.8, text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.6)
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(1)
    pdf.line(pdf.l_margin + 1, top, pdf.l_margin + 1, pdf.get_y() - 1)
    pdf.ln(1)
    pdf.para(
        "Why it works: it starts with what the teacher named, makes a specific and time-limited offer, "
        "promises not to add to her planning, and ends with a shared next step.",
        size=9,
        style="I",
    )


# --- Reflection worksheets ----------------------------------------------------------------------------------


def integration_worksheet() -> Handout:
    pdf = Handout(
        "Your Integration Plan: Reflection Worksheet",
        f"From Isolation to Integration: Effective OT in the Natural School Environment  \u00b7  {AUTHOR}",
    )
    pdf.para(
        "Take a few quiet minutes with each question. Keep your answers small and specific: one student, one "
        "routine, one teacher is a real start.",
        size=9.6,
        gap=1,
    )
    prompts = [
        "Why integrated services: which student did you observe in the classroom, and what did you notice "
        "that you "
        "wouldn't have seen in pull-out?",
        "Least restrictive environment: where on your caseload could services move closer to the classroom?",
        "Collaboration: who will be your first teacher partner, and what is your opening question?",
        "Embedding strategies: which routine will you start with, and what barrier did you identify?",
        "The just right support: what support will you try, and what would the student need to show "
        "before you "
        "fade it?",
        "Starting small: what are the dates of your four-week pilot, and when is your weekly check-in?",
        "Measuring progress together: which goal will the team measure, with which quick data method?",
    ]
    for number, text in enumerate(prompts, start=1):
        pdf.prompt(f"{number}.", text, lines=2, gap=8)
    pdf.set_font("DejaVu", "B", 10.5)
    pdf.set_text_color(*TEAL)
    pdf.cell(0, 6, "My single next step:", new_x="LMARGIN", new_y="NEXT")
    pdf.write_lines(1, gap=6.6)
    pdf.set_font("DejaVu", "B", 10.5)
    pdf.set_text_color(*TEAL)
    pdf.cell(0, 6, "I will take it on (date):", new_x="LMARGIN", new_y="NEXT")
    pdf.write_lines(1, gap=6.6)
    return pdf


def role_worksheet() -> Handout:
    pdf = Handout(
        "Own Your Role: Reflection Worksheet",
        f"Own Your Role: Insights & Advocacy for School-Based OT Practitioners  \u00b7  {AUTHOR}",
    )
    pdf.heading("My one-sentence role explanation", size=11)
    pdf.para(
        '"In schools, OT is a related service on the IEP. My job is to help students take part in their '
        'school day..." Now write yours:',
        size=9.4,
        style="I",
        gap=0,
    )
    pdf.write_lines(2, gap=6.6)

    pdf.heading("Reframe three targets", size=11)
    reframe_table(pdf)

    pdf.heading("The comment I hear most", size=11)
    pdf.write_lines(1, gap=8)
    pdf.para("My response:", size=9.6, style="B", gap=0)
    for step in ("Acknowledge:", "Ask:", "Connect to participation at school:", "Offer a next step:"):
        pdf.set_font("DejaVu", "", 9.4)
        pdf.set_text_color(*MUTED)
        pdf.ln(6)
        pdf.cell(0, 5, step)
        pdf.set_draw_color(180, 190, 196)
        pdf.line(
            pdf.l_margin + pdf.get_string_width(step) + 3,
            pdf.get_y() + 4.5,
            pdf.w - pdf.r_margin,
            pdf.get_y() + 4.5,
        )
        pdf.ln(2)
    pdf.ln(3)

    pdf.heading("One advocacy step this month", size=11)
    pdf.para(
        "Gently but persistently: a one-sentence introduction to a new teacher, a participation goal read "
        "to the teacher before the meeting, a short success story shared at a team meeting...",
        size=9.2,
        style="I",
        gap=0,
    )
    pdf.write_lines(1, gap=8)
    pdf.para("Date:", size=9.6, style="B", gap=0)
    pdf.write_lines(1, gap=6)

    pdf.heading("Moments that made a difference (read these on the hard days)", size=11)
    pdf.write_lines(2, gap=7.5)
    return pdf


def reframe_table(pdf: Handout):
    half = pdf.body_width / 2
    pdf.set_font("DejaVu", "B", 9.4)
    pdf.set_fill_color(*PALE)
    pdf.set_text_color(*TEAL)
    pdf.set_draw_color(*TEAL)
    pdf.set_line_width(0.3)
    pdf.cell(half, 7, "  Old target (a skill)", border=1, fill=True)
    pdf.cell(
        half,
        7,
        "  New target (participation in a school routine)",
        border=1,
        fill=True,
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("DejaVu", "I", 8.6)
    pdf.set_text_color(*MUTED)
    pdf.cell(half, 9, "  e.g. improve pencil grasp", border=1)
    pdf.cell(
        half, 9, "  e.g. write a legible science notebook entry", border=1, new_x="LMARGIN", new_y="NEXT"
    )
    for _ in range(3):
        pdf.cell(half, 10, "", border=1)
        pdf.cell(half, 10, "", border=1, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


if __name__ == "__main__":
    sys.exit(main())
