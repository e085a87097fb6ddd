"""CE completion in a real browser: post-test, evaluation, attestation, the certificate and its checks.

The lessons are seeded as done in the database (watching them is test_journeys.py's job); from
there the learner clicks through every step as a person would, and the author revokes.
"""

import html
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from axe_playwright_python.base import AXE_FILE_PATH
from playwright.sync_api import Page, expect

from courseware.accounts.models import Licence, Role, User
from courseware.assessment import evaluation, grading
from courseware.assessment.models import EvaluationResponse, PostTestAttempt
from courseware.certificates.models import Attestation, Certificate
from courseware.content.models import Course, Lesson, Module
from courseware.db import utcnow
from courseware.extensions import db
from courseware.learning.models import Enrolment, EnrolmentSource, LessonProgress
from courseware.transcript.models import ExternalCredit
from tests.browser.conftest import SCREENSHOTS
from tests.browser.helpers import outbox_link
from tests.browser.pages import FREE_COURSE
from tests.browser.test_accessibility import assert_no_violations, blocking
from tests.browser.test_layout import _OVERFLOW, _SMALL_TARGETS, MIN_TARGET_PX

COURSE_TITLE = "Tips for Successful Collaboration with Teachers"
LEGAL_NAME = "Zoë Ñúñez-O'Brien"
EMAIL = "zoe.nunez@example.org"
NARROW_PHONE = {"width": 360, "height": 780}
# A field's label must name that field: a shared id gives the label to the first element only.
_FIELDS_WITHOUT_THEIR_OWN_LABEL = """
() => {
  const ids = [...document.querySelectorAll('[id]:not([type=hidden])')].map((el) => el.id);
  const shared = ids.filter((id, index) => ids.indexOf(id) !== index).map((id) => `shared id #${id}`);
  const fields = [...document.querySelectorAll('main input:not([type=hidden]), main select, main textarea')];
  const unlabelled = fields.filter((el) => el.labels.length === 0 && !el.getAttribute('aria-label'))
    .map((el) => `<${el.tagName.toLowerCase()} name=${el.name}> has no label`);
  return [...new Set(shared), ...unlabelled];
}
"""

pytestmark = pytest.mark.usefixtures("demo_courses")



@pytest.fixture
def finished_lessons(app, make) -> User:
    """A learner with a Texas licence and every lesson of the free course done; no legal name yet."""
    user = make.user(email=EMAIL, display_name="Zoë", credential="OTR/L")
    complete_every_lesson(app, user, FREE_COURSE)
    return user


@pytest.fixture
def certified(app, finished_lessons) -> tuple[User, Certificate]:
    """The same learner after passing, evaluating and attesting: the certificate is issued."""
    enrolment_id = enrolment_of(app, finished_lessons, FREE_COURSE)
    pass_the_post_test(app, enrolment_id)
    submit_the_evaluation(app, enrolment_id)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = finished_lessons.session_token
    form = {"legal_name": LEGAL_NAME, "licence": "none", "attest": "y"}
    assert client.post(f"/learn/{FREE_COURSE}/certificate", data=form).status_code == 302
    [certificate] = certificates_of(app, enrolment_id)
    return finished_lessons, certificate


# 1. The whole way, from the course home to the verification page.


def test_a_learner_passes_evaluates_attests_and_verifies_the_certificate(
    app, finished_lessons, sign_in, new_context
):
    page = sign_in(new_context(), finished_lessons).new_page()
    page.goto(f"/learn/{FREE_COURSE}/")
    expect(page.get_by_text("All lessons complete")).to_be_visible()
    page.get_by_role("link", name="Next steps to your certificate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your certificate")
    expect(page.locator("#step-lessons")).to_contain_text("3 of 3 lessons complete.")
    expect(page.locator("#step-post-test")).to_contain_text("0 of 2 attempts used.")

    page.locator("#step-post-test").get_by_role("link", name="Go to the post-test").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Post-test")
    expect(page.get_by_text("Attempts: 2 of 2 left")).to_be_visible()
    page.get_by_role("button", name="Start attempt 1 of 2").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Post-test: attempt 1")
    answer_the_post_test(page, post_test_questions(app, FREE_COURSE), wrong=0)
    page.get_by_role("button", name="Submit answers").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Post-test result: attempt 1")
    expect(page.locator("#score-heading")).to_have_text(re.compile(r"Passed\s+Your score: 100%"))
    expect(page.get_by_text("4 of 4 questions correct.")).to_be_visible()
    expect(page.get_by_text("You answered every question correctly.")).to_be_visible()
    page.get_by_role("link", name="Next: the course evaluation").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Course evaluation")
    fill_the_evaluation(page)
    page.get_by_role("button", name="Submit evaluation").click()
    expect(page.get_by_role("status").filter(has_text="Thank you: your evaluation is saved.")).to_be_visible()
    page.get_by_role("link", name="Next: your certificate").click()

    expect(page.locator("#step-post-test")).to_contain_text("You passed with 100 %.")
    expect(page.locator("#step-evaluation")).to_contain_text("Thank you for your feedback.")
    attest(page, LEGAL_NAME)
    expect(page.get_by_role("status").filter(has_text="Your certificate is ready.")).to_be_visible()
    ready = page.locator(".certificate-ready")
    expect(ready.get_by_role("heading", name="Certificate issued")).to_be_visible()
    expect(ready).to_contain_text(LEGAL_NAME)

    enrolment_id = enrolment_of(app, finished_lessons, FREE_COURSE)
    [certificate] = certificates_of(app, enrolment_id)
    assert certificate.snapshot["holder"]["legal_name"] == LEGAL_NAME
    licence = {"state": "TX", "profession": "OT", "number": "1234567"}
    assert certificate.snapshot["holder"]["licence"] == licence
    expect(ready).to_contain_text(certificate.serial)
    attestation = attestation_of(app, enrolment_id)
    assert attestation is not None and attestation.legal_name == LEGAL_NAME

    pdf = ready.get_by_role("link", name="Download certificate (PDF)")
    response = page.request.get(pdf.get_attribute("href"))  # the page's own cookies
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")

    ready.get_by_role("link", name="Verification page").click()
    expect(page).to_have_url(re.compile(rf"/verify/{certificate.public_id}$"))
    expect(page.get_by_role("status")).to_contain_text("Valid.")
    expect(holder(page)).to_have_text(f"{LEGAL_NAME}, OTR/L")
    expect(page.locator(".facts")).to_contain_text(certificate.serial)

    # The email's links work for anyone: the verification page needs no account.
    stranger = new_context().new_page()
    stranger.goto(outbox_link(app, EMAIL, "/verify/"))
    expect(stranger.get_by_role("status")).to_contain_text("Valid.")
    expect(holder(stranger)).to_have_text(f"{LEGAL_NAME}, OTR/L")


def test_the_learner_reads_the_statement_they_attest_to(app, finished_lessons, sign_in, new_context):
    """The words the learner attests to are on the page, and they are the words stored with it."""
    enrolment_id = enrolment_of(app, finished_lessons, FREE_COURSE)
    pass_the_post_test(app, enrolment_id)
    submit_the_evaluation(app, enrolment_id)
    page = sign_in(new_context(), finished_lessons).new_page()
    page.goto(f"/learn/{FREE_COURSE}/certificate")
    shown = page.locator("#step-confirm .attestation-statement").inner_text().strip()
    attest(page, LEGAL_NAME)
    expect(page.get_by_role("heading", name="Certificate issued")).to_be_visible()
    stored = attestation_of(app, enrolment_id).statement
    assert shown == stored, f"the page showed {shown!r}; the learner's attestation records {stored!r}"


# 2. A failed attempt.


def test_a_failed_attempt_shows_the_score_the_missed_explanations_and_attempts_left(
    app, finished_lessons, sign_in, new_context
):
    questions = post_test_questions(app, FREE_COURSE)
    page = sign_in(new_context(), finished_lessons).new_page()
    page.goto(f"/learn/{FREE_COURSE}/post-test")
    page.get_by_role("button", name="Start attempt 1 of 2").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Post-test: attempt 1")

    before = page.content()
    leaked = [q["explanation"] for q in questions if shows(before, q["explanation"])]
    assert not leaked, f"the attempt page holds explanations before it is submitted: {leaked}"
    assert "Explanation" not in before
    missed = answer_the_post_test(page, questions, wrong=1)
    page.get_by_role("button", name="Submit answers").click()

    expect(page.locator("#score-heading")).to_have_text(re.compile(r"Not passed\s+Your score: 75%"))
    expect(page.get_by_text("3 of 4 questions correct. The pass mark is 80%.")).to_be_visible()
    expect(page.get_by_text("You have 1 attempt left.")).to_be_visible()
    expect(page.get_by_role("button", name="Start attempt 2 of 2")).to_be_visible()
    review = page.locator("section.missed")
    expect(review).to_have_count(1)
    expect(review).to_contain_text(missed["explanation"])
    body = page.locator("main").inner_text()
    assert [q for q in questions if q is not missed and q["explanation"] in body] == [], (
        "only the missed question's explanation is shown"
    )

    [attempt] = attempts_of(app, enrolment_of(app, finished_lessons, FREE_COURSE))
    assert attempt.submitted_at is not None and attempt.passed is False
    assert (attempt.correct_count, str(attempt.score_percent)) == (3, "75.00")


# 3. The author revokes; the public verification page says so.


def test_the_author_revokes_a_certificate_and_a_visitor_sees_it_revoked(
    app, make, certified, sign_in, new_context
):
    _learner, certificate = certified
    author = make.user(email="jennifer@example.com", display_name="Jennifer Huff", role=Role.AUTHOR)
    page = sign_in(new_context(), author).new_page()
    page.goto("/studio/certificates")
    expect(page.get_by_role("heading", level=1)).to_have_text("Certificate register")
    row = page.get_by_role("row").filter(has_text=LEGAL_NAME)
    expect(row).to_contain_text(COURSE_TITLE)
    expect(row).to_contain_text("Valid")
    row.get_by_role("link", name=certificate.serial).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Certificate {certificate.serial}")
    lessons = page.locator("section[aria-labelledby=lessons-heading] tbody tr")
    expect(lessons).to_have_count(3)
    attempts = page.locator("section[aria-labelledby=attempts-heading] tbody tr")
    expect(attempts).to_contain_text("100 % (4 of 4)")
    expect(page.locator("section[aria-labelledby=attestation-heading]")).to_contain_text(LEGAL_NAME)

    reason = "Completed under another learner's account."
    revoke = page.get_by_role("region", name="Revoke")
    # By its element, not its label: the label points at the reissue form's field (see the test below).
    revoke.locator("textarea").press_sequentially(reason)
    revoke.get_by_role("button", name="Revoke certificate").click()
    revoked = page.get_by_role("status").filter(has_text=f"Certificate {certificate.serial} is revoked.")
    expect(revoked).to_be_visible()
    expect(page.locator(".verify-revoked")).to_contain_text(reason)
    expect(page.get_by_role("button", name="Revoke certificate")).to_have_count(0)

    [stored] = certificates_of(app, certificate.enrolment_id)
    assert stored.revoked_at is not None and stored.revoked_reason == reason
    assert stored.revoked_by_id == author.id

    visitor = new_context().new_page()
    visitor.goto(f"/verify/{certificate.public_id}")
    status = visitor.get_by_role("status")
    expect(status).to_contain_text("Revoked")
    expect(status).to_contain_text(f"Reason: {reason}")
    expect(holder(visitor)).to_have_text(f"{LEGAL_NAME}, OTR/L")


def test_every_field_on_the_studio_certificate_pages_has_its_own_label_and_axe_passes(
    app, make, certified, sign_in, new_context
):
    """The evidence page holds two forms (reissue, revoke): each field has a label of its own."""
    _learner, certificate = certified
    context = sign_in(new_context(), make.user(role=Role.AUTHOR))
    context.add_init_script(path=AXE_FILE_PATH)
    page = context.new_page()
    found, unlabelled = {}, []
    studio = {"register": "/studio/certificates", "evidence": f"/studio/certificates/{certificate.public_id}"}
    for name, path in studio.items():
        assert page.goto(path).ok
        found[name] = blocking(page)
        unlabelled += [f"{name}: {problem}" for problem in page.evaluate(_FIELDS_WITHOUT_THEIR_OWN_LABEL)]
    assert not unlabelled, "\n".join(unlabelled)
    assert_no_violations(found)
    revoke = page.get_by_role("region", name="Revoke")
    expect(revoke.get_by_label("Reason")).to_be_editable()


def test_a_revoked_certificate_stays_revoked_when_its_holder_opens_the_certificate_page(
    app, certified, sign_in, new_context
):
    """Opening the certificate page after a revocation shows it revoked; it never issues a new one."""
    learner, certificate = certified
    with app.app_context():
        stored = db.session.get(Certificate, certificate.id)
        stored.revoked_at, stored.revoked_reason = utcnow(), "Completed under another learner's account."
        db.session.commit()

    page = sign_in(new_context(), learner).new_page()
    page.goto(f"/learn/{FREE_COURSE}/certificate")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your certificate")
    assert [c.public_id for c in certificates_of(app, certificate.enrolment_id)] == [certificate.public_id], (
        "opening the certificate page issued a new certificate after the revocation"
    )
    expect(page.get_by_text("Certificate issued")).to_have_count(0)


# 4. The transcript.


def test_the_transcript_shows_the_certificate_and_a_credit_recorded_from_elsewhere(
    app, certified, sign_in, new_context, tmp_path
):
    learner, certificate = certified
    page = sign_in(new_context(), learner).new_page()
    page.goto(f"/learn/{FREE_COURSE}/certificate")
    page.get_by_role("link", name="your transcript").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your transcript")
    ours = activity_row(page, COURSE_TITLE)
    expect(ours.locator("[data-label=Hours]")).to_have_text(certificate.snapshot["course"]["contact_hours"])
    expect(ours).to_contain_text(certificate.serial)
    expect(ours.get_by_role("link", name=f"Verify {COURSE_TITLE}")).to_be_visible()
    cycle = page.locator(".licence-cycles .cycle-facts")
    expect(cycle).to_contain_text("0.5 of 24 hours from 1 activity")

    completed_on = date.today() - timedelta(days=30)
    handout = tmp_path / "sensory-workshop.pdf"
    handout.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    form = page.locator("#add-credit")
    form.get_by_label("Course or activity title").press_sequentially("Sensory Strategies Workshop")
    form.get_by_label("Provider").press_sequentially("Texas OT Association")
    form.get_by_label("Completion date").fill(completed_on.isoformat())
    form.get_by_label("Contact hours").press_sequentially("1.5")
    form.get_by_label(re.compile(r"^Live")).check()
    form.get_by_label("Certificate PDF (optional)").set_input_files(handout)
    form.get_by_role("button", name="Add to my transcript").click()

    done = "“Sensory Strategies Workshop” is on your transcript."
    expect(page.get_by_role("status").filter(has_text=done)).to_be_visible()
    theirs = activity_row(page, "Sensory Strategies Workshop")
    expect(theirs).to_contain_text("Texas OT Association")
    expect(theirs.locator("[data-label=Hours]")).to_have_text("1.5")
    expect(theirs.locator("[data-label=Format]")).to_have_text("Live")
    expect(theirs).to_contain_text("Recorded by you")
    expect(page.locator(".transcript-totals")).to_contain_text("2 activities")
    expect(cycle).to_contain_text("2 of 24 hours from 2 activities")  # counted in the Texas cycle

    with page.expect_download() as download:
        theirs.get_by_role("link", name="Your PDF of Sensory Strategies Workshop").click()
    assert download.value.path().read_bytes() == handout.read_bytes()
    [credit] = credits_of(app, learner)
    assert (credit.title, credit.provider, credit.completed_on) == (
        "Sensory Strategies Workshop", "Texas OT Association", completed_on
    )
    assert str(credit.contact_hours) == "1.50" and credit.original_filename == "sensory-workshop.pdf"


# 5. A 360 px phone: no sideways scrolling and no serious axe violation on the new pages.


def test_the_completion_pages_fit_a_360_px_phone_and_pass_axe(app, finished_lessons, sign_in, new_context):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = sign_in(new_context(viewport=NARROW_PHONE), finished_lessons)
    context.add_init_script(path=AXE_FILE_PATH)
    page = context.new_page()
    found: dict[str, list] = {}
    layout: list[str] = []

    def check(name: str) -> None:
        layout.extend(phone_layout_problems(page, name))
        found[name] = blocking(page)
        page.screenshot(path=SCREENSHOTS / f"{name}-phone-360.png", full_page=True)

    page.goto(f"/learn/{FREE_COURSE}/certificate")
    check("certificate-steps")
    page.goto(f"/learn/{FREE_COURSE}/post-test")
    check("post-test")
    page.get_by_role("button", name="Start attempt 1 of 2").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Post-test: attempt 1")
    check("post-test-attempt")
    page.get_by_role("button", name="Submit answers").click()  # nothing chosen: every question asks
    expect(page.get_by_role("alert")).to_contain_text("Please answer the 4 questions marked below.")
    check("post-test-attempt-unanswered")
    answer_the_post_test(page, post_test_questions(app, FREE_COURSE), wrong=0)
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Post-test result: attempt 1")
    check("post-test-result")
    page.get_by_role("link", name="Next: the course evaluation").click()
    # A click returns before the next page has loaded: measure that page, not the one leaving.
    expect(page.get_by_role("heading", level=1)).to_have_text("Course evaluation")
    check("evaluation")
    fill_the_evaluation(page)
    page.get_by_role("button", name="Submit evaluation").click()
    page.get_by_role("link", name="Next: your certificate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your certificate")
    check("certificate-attestation")
    attest(page, LEGAL_NAME)
    expect(page.get_by_role("heading", name="Certificate issued")).to_be_visible()
    check("certificate-issued")
    page.get_by_role("link", name="Verification page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Certificate verification")
    check("verify")

    assert not layout, "\n".join(layout)
    assert_no_violations(found)


# Steps


def answer_the_post_test(page: Page, questions: list[dict], wrong: int) -> dict | None:
    """Tick the right answers, found by their text since the order is shuffled; get `wrong` of them
    wrong (the first ones on the page). Returns the last question answered wrongly."""
    missed = None
    for position, fieldset in enumerate(page.locator("fieldset.question").all()):
        shown = {text.strip() for text in fieldset.locator("label").all_inner_texts()}
        [question] = [q for q in questions if set(q["choices"]) == shown]
        picks = question["answer"]
        if position < wrong:
            picks = [next(i for i in range(len(question["choices"])) if i not in question["answer"])]
            missed = question
        for index in picks:
            fieldset.get_by_label(question["choices"][index], exact=True).check()
    return missed


def fill_the_evaluation(page: Page) -> None:
    for fieldset in page.locator("fieldset.rating-question").all():
        fieldset.get_by_label(re.compile(r"Strongly agree$")).check()
    page.get_by_label(re.compile(r"^How many hours")).press_sequentially("0.75")
    comments = page.get_by_label(re.compile(r"^Comments"))
    comments.press_sequentially("The check-in questions work with my teachers.")


def attest(page: Page, legal_name: str) -> None:
    steps = page.locator("#step-confirm")
    name = steps.get_by_label("Legal name to print")
    name.clear()
    name.press_sequentially(legal_name)
    expect(steps.get_by_label("License to print")).to_have_value(re.compile(r"\d+"))  # the TX licence
    steps.get_by_label("I completed this activity myself.").check()
    steps.get_by_role("button", name="Attest and get my certificate").click()


def holder(page: Page):
    return page.locator(".facts dt:text-is('Holder') + dd")


def activity_row(page: Page, title: str):
    return page.locator(".transcript-table tbody tr").filter(has=page.get_by_text(title, exact=True))


def shows(page_html: str, text: str) -> bool:
    """Whether the text is in the page's HTML, as written or escaped, or its opening words are."""
    opening = " ".join(text.split()[:5])
    forms = {text, html.escape(text), html.escape(text, quote=False), opening}
    return any(form in page_html for form in forms)


def phone_layout_problems(page: Page, name: str) -> list[str]:
    overflow = page.evaluate(_OVERFLOW)
    problems = []
    if overflow["scrollWidth"] > NARROW_PHONE["width"]:
        problems.append(f"{name}: {overflow['scrollWidth']} px wide; too wide: {overflow['wide']}")
    small_targets = page.evaluate(_SMALL_TARGETS, MIN_TARGET_PX)
    problems += [f"{name}: small tap target {small}" for small in small_targets]
    return problems


# Stored facts


def complete_every_lesson(app, user: User, course_slug: str) -> None:
    """Enrolled, every lesson watched to the end, the counters in step (as count_completion keeps them)."""
    now = utcnow()
    with app.app_context():
        course = db.session.scalar(sa.select(Course).where(Course.slug == course_slug))
        lessons = db.session.scalars(
            sa.select(Lesson).join(Module, Lesson.module_id == Module.id)
            .where(Lesson.course_id == course.id, Lesson.retired_at.is_(None))
            .order_by(Module.position, Lesson.position)
        ).all()
        enrolment = Enrolment(
            user_id=user.id, course_id=course.id, source=EnrolmentSource.FREE,
            created_at=now - timedelta(days=2), last_activity_at=now, last_lesson_id=lessons[-1].id,
            lessons_completed=len(lessons),
            credit_minutes_completed=sum(lesson.credit_minutes for lesson in lessons),
        )
        db.session.add(enrolment)
        db.session.flush()
        for lesson in lessons:
            seconds = float(lesson.duration_seconds or 0)
            db.session.add(LessonProgress(
                enrolment_id=enrolment.id, lesson_id=lesson.id, opened_at=now - timedelta(days=1),
                completed_at=now - timedelta(hours=1), clock_at=now, watched_intervals=[[0.0, seconds]],
                watched_seconds=seconds, position_seconds=0.0, heartbeats=6, last_heartbeat_at=now,
            ))
        db.session.add(Licence(
            user_id=user.id, state="TX", profession="OT", number="1234567",
            renewal_date=date.today() + timedelta(days=200),
        ))
        db.session.commit()


def pass_the_post_test(app, enrolment_id: int) -> None:
    """A graded attempt on a real shuffled paper, every answer right."""
    now = utcnow()
    with app.app_context():
        enrolment = db.session.get(Enrolment, enrolment_id)
        paper = grading.make_paper(enrolment.course.post_test["questions"], seed=5)
        answers = {str(question["question"]): question["answer"] for question in paper}
        grade = grading.grade(paper, answers, 80)
        db.session.add(PostTestAttempt(
            enrolment_id=enrolment_id, number=1, course_revision=enrolment.course.revision, paper=paper,
            pass_percent=80, started_at=now - timedelta(minutes=12), submitted_at=now - timedelta(minutes=5),
            answers=answers, correct_count=grade.correct_count, score_percent=grade.score_percent,
            passed=grade.passed,
        ))
        db.session.commit()


def submit_the_evaluation(app, enrolment_id: int) -> None:
    with app.app_context():
        course = db.session.get(Enrolment, enrolment_id).course
        questions = evaluation.questions_as_asked(course.evaluation, course.objectives)
        typed = {"rating": 5, "number": "0.75", "text": "Practical.", "choice": None}
        answers = {q["key"]: typed[q["type"]] or q["choices"][0] for q in questions}
        db.session.add(EvaluationResponse(
            enrolment_id=enrolment_id, course_revision=course.revision, questions=questions, answers=answers,
            submitted_at=utcnow(),
        ))
        db.session.commit()


def post_test_questions(app, course_slug: str) -> list[dict]:
    with app.app_context():
        return db.session.scalar(sa.select(Course.post_test).where(Course.slug == course_slug))["questions"]


def enrolment_of(app, user: User, course_slug: str) -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(Enrolment.id).join(Course, Enrolment.course_id == Course.id)
            .where(Enrolment.user_id == user.id, Course.slug == course_slug)
        )


def _all(app, statement) -> list:
    with app.app_context():
        rows = list(db.session.scalars(statement))
        db.session.expunge_all()
        return rows


def certificates_of(app, enrolment_id: int) -> list[Certificate]:
    mine = sa.select(Certificate).where(Certificate.enrolment_id == enrolment_id)
    return _all(app, mine.order_by(Certificate.id))


def attempts_of(app, enrolment_id: int) -> list[PostTestAttempt]:
    return _all(app, sa.select(PostTestAttempt).where(PostTestAttempt.enrolment_id == enrolment_id))


def attestation_of(app, enrolment_id: int) -> Attestation | None:
    return next(iter(_all(app, sa.select(Attestation).where(Attestation.enrolment_id == enrolment_id))), None)


def credits_of(app, user: User) -> list[ExternalCredit]:
    return _all(app, sa.select(ExternalCredit).where(ExternalCredit.user_id == user.id))
