"""The check of an e-signature's certificate against the root certificates of the National
Certification Authority (NCA) of Kazakhstan, kept in the folder NCA_ROOTS_DIR (PEM or DER files;
the roots are not shipped with the application): from the signer's certificate up to a
self-signed root of the folder, each certificate valid and signed by its issuer. Revocation
(CRL, OCSP) is not checked: it needs the NCA's servers."""
import logging
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import NameOID
from flask_babel import lazy_gettext as _l

from app.contracts.models import ChainOutcome

log = logging.getLogger(__name__)

NAME_MAX = 200
CHAIN_DEPTH_MAX = 8
_CERTIFICATE_FILES = ("*.pem", "*.crt", "*.cer", "*.der")


@dataclass(frozen=True)
class ChainCheck:
    outcome: ChainOutcome
    detail: str | None = None  # the certificates' names, the signer's first; or what is wrong, in English
    reason: object = None  # what is wrong, for people (lazy), when not valid


def clean_text(value):
    """A name from a certificate fit to show and to store: no control characters (a NUL cannot be
    stored), spaces collapsed, at most NAME_MAX characters."""
    value = "".join(ch for ch in str(value) if unicodedata.category(ch)[0] != "C")
    return " ".join(value.split())[:NAME_MAX]


def attribute(name, oid):
    """The first value of `oid` in the x509 Name `name`, cleaned; "" when it has none."""
    values = name.get_attributes_for_oid(oid)
    return clean_text(values[0].value) if values else ""


def label(name):
    """An x509 Name as people read it: the common name, else the whole name."""
    return attribute(name, NameOID.COMMON_NAME) or clean_text(name.rfc4514_string())


def certificates_in(data):
    """The certificates in `data`: PEM (one or several) or DER; none when it holds none, or when
    the parts read here cannot be (the library reads a certificate's parts when asked)."""
    try:
        found = (x509.load_pem_x509_certificates(data) if b"-----BEGIN" in data
                 else [x509.load_der_x509_certificate(data)])
        for certificate in found:
            certificate.subject.rfc4514_string(), certificate.issuer.rfc4514_string()
            certificate.public_key_algorithm_oid, certificate.not_valid_before_utc, certificate.not_valid_after_utc
    except (ValueError, x509.InvalidVersion):
        return []
    return found


def load_roots(folder):
    """The certificates in the files of `folder` (a file that is none is skipped, and logged)."""
    found = []
    for path in sorted(p for pattern in _CERTIFICATE_FILES for p in Path(folder).glob(pattern)):
        try:
            certificates = certificates_in(path.read_bytes())
        except OSError:
            certificates = []
        if not certificates:
            log.warning("NCA_ROOTS_DIR: %s cannot be read as a certificate; skipped", path)
        found.extend(certificates)
    return found


def _invalid(reason, detail):
    return ChainCheck(ChainOutcome.INVALID, detail=detail, reason=reason)


def check_chain(certificate, carried, roots_dir, at):
    """Walks from the signer's `certificate` up to a self-signed certificate of the folder
    `roots_dir` (None or "": not configured): each certificate valid at `at` (aware), signed by
    its issuer, each issuer a certification authority. Issuers come from the folder or from the
    e-signature file (`carried`: DER certificates)."""
    if not roots_dir:
        return ChainCheck(ChainOutcome.NOT_CONFIGURED)
    known = load_roots(roots_dir) if Path(roots_dir).is_dir() else []
    if not known:
        log.error("NCA_ROOTS_DIR (%s) holds no certificate: every e-signature is refused", roots_dir)
        return _invalid(_l("no root certificates are set up. Tell the project office."), "no root certificates")
    anchors = {root.fingerprint(hashes.SHA256()) for root in known if root.subject == root.issuer}
    pool = known + [c for der in carried for c in certificates_in(der)]
    path = [certificate]
    current = certificate
    for _step in range(CHAIN_DEPTH_MAX):
        subject = label(current.subject)
        if not current.not_valid_before_utc <= at <= current.not_valid_after_utc:
            return _invalid(_l("the certificate of %(subject)s is not valid on %(date)s.", subject=subject,
                               date=at.date().isoformat()), f"not valid at {at.isoformat()}: {subject}")
        if current.fingerprint(hashes.SHA256()) in anchors:
            return ChainCheck(ChainOutcome.VALID, detail=" → ".join(label(c.subject) for c in path))
        issuers = [c for c in pool if c.subject == current.issuer and c != current]
        if not issuers:
            issuer = label(current.issuer)
            return _invalid(_l("its issuer (%(issuer)s) is not known.", issuer=issuer), f"unknown issuer: {issuer}")
        found = next((c for c in issuers if _issued_by(current, c)), None)
        issuer = label((found or issuers[0]).subject)
        if found is None:
            return _invalid(_l("the signature of %(issuer)s on the certificate of %(subject)s is not valid.",
                               issuer=issuer, subject=subject), f"bad signature of {issuer} on {subject}")
        if not _is_authority(found):
            return _invalid(_l("%(issuer)s is not a certification authority.", issuer=issuer),
                            f"not a certification authority: {issuer}")
        path.append(found)
        current = found
    return _invalid(_l("the chain of certificates is too long."), "chain too long")


def _issued_by(certificate, issuer):
    try:
        certificate.verify_directly_issued_by(issuer)
    except (InvalidSignature, ValueError, TypeError, UnsupportedAlgorithm):
        return False
    return True


def _is_authority(certificate):
    try:
        return certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        return certificate.version is x509.Version.v1  # an old root without extensions
    except ValueError:  # extensions that cannot be read
        return False
