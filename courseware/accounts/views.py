from flask import Blueprint

bp = Blueprint("accounts", __name__)


@bp.route("/auth/login", methods=["GET", "POST"])
def login():
    return "login"
