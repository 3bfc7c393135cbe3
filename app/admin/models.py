"""The organisation that runs the competitions: the details contracts and reports print."""
import sqlalchemy as sa

from app.extensions import db

# Column lengths, which the service checks before saving.
TEXT_MAX = 255
ADDRESS_MAX = 500


class Organisation(db.Model):
    """One row (id 1), filled in by an administrator; every text is "" until it is given."""

    __tablename__ = "organisation"
    __table_args__ = (sa.CheckConstraint("id = 1", name="single_row"),)

    ID = 1

    id = db.Column(db.Integer, primary_key=True, autoincrement=False)
    legal_name_kk = db.Column(db.String(TEXT_MAX), nullable=False, default="")
    legal_name_ru = db.Column(db.String(TEXT_MAX), nullable=False, default="")
    legal_name_en = db.Column(db.String(TEXT_MAX), nullable=False, default="")
    bin = db.Column(db.String(12), nullable=False, default="")  # check digit verified
    address_kk = db.Column(db.String(ADDRESS_MAX), nullable=False, default="")
    address_ru = db.Column(db.String(ADDRESS_MAX), nullable=False, default="")
    director_name_kk = db.Column(db.String(TEXT_MAX), nullable=False, default="")
    director_name_ru = db.Column(db.String(TEXT_MAX), nullable=False, default="")
    director_title_kk = db.Column(db.String(TEXT_MAX), nullable=False, default="")
    director_title_ru = db.Column(db.String(TEXT_MAX), nullable=False, default="")
    bank_name = db.Column(db.String(TEXT_MAX), nullable=False, default="")
    iban = db.Column(db.String(20), nullable=False, default="")  # KZ, check digits verified
    bic = db.Column(db.String(11), nullable=False, default="")
    phone = db.Column(db.String(16), nullable=False, default="")  # E.164
    email = db.Column(db.String(254), nullable=False, default="")
    updated_at = db.Column(db.DateTime, nullable=True)

    def __repr__(self):
        return f"<Organisation {self.bin or '(no BIN)'}>"
