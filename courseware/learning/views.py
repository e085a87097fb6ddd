from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("learning", __name__)


@bp.get("/me/")
@login_required
def dashboard():
    return render_template("learning/dashboard.html")
