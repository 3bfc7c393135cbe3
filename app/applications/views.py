"""The applicant's pages for filling in an application, step by step."""
from flask import Blueprint

bp = Blueprint("apply", __name__)
