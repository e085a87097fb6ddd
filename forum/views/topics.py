"""A topic's page (which records how far its reader got, only when that moves forward), replies
and accepted answers."""

import flask
from flask import abort, flash, redirect
from flask_login import current_user, login_required

from courseware.db import utcnow
from courseware.extensions import db
from courseware.web import page_number
from forum import notifying, pages, permissions, services
from forum.forms import (
    AcceptForm,
    PostForm,
)
from forum.models import Topic
from forum.views import bp, topic_page
from forum.views.lookup import (
    answers_questions,
    post_url,
    topic_or_404,
    topic_url,
)


@bp.get("/t/<int:topic_id>")
@bp.get("/t/<int:topic_id>-<slug>")
def topic(topic_id: int, slug: str | None = None):
    page = page_number()
    cached = topic_page.cached_page(topic_id, slug, page)
    if cached is not None:
        return cached
    located = topic_or_404(topic_id)
    if slug != located.topic.slug:
        return redirect(topic_url(located.topic, page=page if page > 1 else None), 301)
    quote = _quote(located.topic)
    form = PostForm(formdata=None, data={"body": quote}) if quote is not None else None
    return topic_page.render(located, page, form, record_reading=True)


@bp.post("/t/<int:topic_id>/reply")
@login_required
def reply(topic_id: int):
    located = topic_or_404(topic_id)
    topic = located.topic
    problem = permissions.posting_problem(current_user, located.board, topic)
    if problem is not None:
        flash(problem, "error")
        return redirect(topic_url(topic, _anchor="reply"))
    form = PostForm()
    last_page = pages.page_of_post(topic.highest_number)
    if not form.validate() or form.preview.data:
        return topic_page.render(located, last_page, form, preview=form.preview.data and not form.errors)
    now = utcnow()
    try:
        services.check_rate_limit(current_user, now, new_topic=False)
    except services.RateLimited as error:
        form.body.errors.append(str(error))
        return topic_page.render(located, last_page, form, status=429)
    post = services.reply(
        topic, current_user.id, form.body.data, now, by_instructor=answers_questions(located.board)
    )
    url = post_url(topic, post.number)
    notifying.after_reply(located.board, topic, form.body.data, current_user, url, now)
    db.session.commit()
    return redirect(url)


@bp.post("/t/<int:topic_id>/accept")
@login_required
def accept_answer(topic_id: int):
    """Marks a reply as the accepted answer (or unmarks it with an empty `post`)."""
    located = topic_or_404(topic_id)
    topic = located.topic
    if not permissions.can_accept_answer(current_user, located.board, topic):
        abort(403, "Only the person who asked, the instructor or a moderator marks the accepted answer.")
    form = AcceptForm()
    if not form.validate():
        abort(400, "That is not a post of this topic. Reload the topic and use its buttons.")
    post = None
    if form.post.data is not None:
        found = pages.find_post(form.post.data, current_user.id)
        if found is None or found.topic.id != topic.id:
            abort(400, "That is not a post of this topic. Reload the topic and use its buttons.")
        post = found.post
    now = utcnow()
    try:
        message = services.accept_answer(topic, post, now)
    except services.PostingError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(topic_url(topic))
    if post is not None:
        notifying.after_accept(located.board, topic, post, current_user, post_url(topic, post.number), now)
    db.session.commit()
    flash(message, "success")
    return redirect(post_url(topic, post.number) if post is not None else topic_url(topic))


def _quote(topic: Topic) -> str | None:
    """?quote=<post number>: the reply form opens with that post as a markdown blockquote."""
    number = flask.request.args.get("quote", type=int)
    if number is None or not 1 <= number <= topic.highest_number:
        return None
    found = pages.quotable_post(topic, number)
    if found is None:
        return None
    name, body = found
    quoted = "\n".join(f"> {line}" if line else ">" for line in body.splitlines())
    return f"> **{name}** wrote (#{number}):\n{quoted}\n\n"
