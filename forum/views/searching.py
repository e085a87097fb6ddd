"""Full-text search over the posts the member may see (forum/search.py)."""

from flask import render_template, request
from flask_login import current_user, login_required

from forum import pages, search
from forum.views import bp


@bp.get("/search")
@login_required
def search_page():
    asked = search.parse_request(request.args)
    results = search.search(current_user, asked) if asked.asked and asked.error is None else None
    return render_template(
        "forum/search.html",
        asked=asked,
        results=results,
        boards=pages.visible_boards(current_user),
        max_length=search.QUERY_MAX,
        per_page=search.RESULTS_PER_PAGE,
    )
