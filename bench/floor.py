"""The floor: the least a signed-in JSON request costs in this app, served beside the real one.

`create_floor_app()` is the app exactly as production builds it (every extension, hook and
security header) plus one route, `POST /bench/floor`, that does only what every signed-in JSON
POST must: open the signed session cookie, check the CSRF header, find the user by the session's
token in one SQLAlchemy Core statement, commit and answer JSON. The heartbeat does all of this and
then its own work (parse, check, one UPDATE). So floor ÷ hello is the ceiling any route of this
stack can reach; run.py reports it as a reference row beside the targets.
"""

import sqlalchemy as sa
from flask import Flask, jsonify, session

from app import create_app
from courseware.accounts.models import User
from courseware.extensions import db, limiter

FLOOR_PATH = "/bench/floor"
_USER_BY_TOKEN = sa.select(User.id).where(User.session_token == sa.bindparam("token"))


def create_floor_app() -> Flask:
    app = create_app()

    @limiter.exempt  # as the heartbeat is
    def floor():
        user_id = db.session.connection().execute(_USER_BY_TOKEN, {"token": session.get("_user_id")}).scalar()
        db.session.commit()
        return jsonify({"user": user_id})

    app.add_url_rule(FLOOR_PATH, "bench_floor", floor, methods=["POST"])
    return app
