from flask import Blueprint, render_template

bp = Blueprint("catalog", __name__)


@bp.get("/")
def home():
    return render_template("catalog/home.html", courses=[])


@bp.get("/courses/")
def catalogue():
    return render_template("catalog/catalogue.html", courses=[])
