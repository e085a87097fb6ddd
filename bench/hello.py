"""The baseline: a bare Flask "hello world", served by the same gunicorn settings as the app.

DESIGN §7 asks for ratios against this, measured in the same run, so that figures from different
machines (and different loads on one machine) can be compared.
"""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, World!"
