"""The framework's ceiling: a bare Flask app answering "Hello" (bench/public_pages.py serves it
with the same gunicorn settings as the app). Run: gunicorn bench.hello:app"""
from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return "Hello"
