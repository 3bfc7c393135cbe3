"""The applicant's own applications: status, receipt, withdrawal."""
from flask import Blueprint

bp = Blueprint("my", __name__, url_prefix="/my")
