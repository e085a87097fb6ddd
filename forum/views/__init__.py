"""The forum's pages: boards, topics, replies, edits, moderation, watching and search.

Each view finds its board, topic or post together with the viewer's right to see it (lookup.py:
404 for whoever may not see it), parses one form, calls one service, commits once, then redirects
or renders. GET pages write only to record how far a reader got in a topic, when that moves forward.
"""

from flask import Blueprint

from courseware.web import unauthorized
from forum import receivers

bp = Blueprint("forum", __name__, url_prefix="/forum")
# Registering the blueprint connects the forum's signal receivers (boards follow course syncs).
_RECEIVERS = receivers


from forum.views.lookup import SignInFirst  # noqa: E402


@bp.errorhandler(SignInFirst)
def _sign_in_first(_error):
    return unauthorized()


# The routes register themselves on `bp`. `searching` imports forum.search, which registers its index
# DDL with `posts`, so db.create_all() builds the search index too.
from forum.views import boards, display, moderating, posts, searching, topics, watching  # noqa: E402, F401
