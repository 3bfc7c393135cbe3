"""E-signature files over an issued contract: the CMS (PKCS#7 SignedData) that eGov or NCALayer
make with a person's EDS over the contract's PDF, detached or with the PDF inside, as DER or as
base64 text (with or without PEM lines).

`read_cms` checks that the file is a signature over the version of the contract in force (a
signature over another file, or over an earlier version, is refused and says which), that it
verifies with its certificate's key, and that the certificate's IIN (NCA certificates carry it in
the subject's serialNumber, "IIN900101300123") is the grantee's; then the certificate chain is
checked against the NCA root certificates in the folder NCA_ROOTS_DIR, when one is set up.

GOST keys and digests (the newer Kazakh certificates) are refused with a message that says so: no
maintained Python package computes them (gostcrypto's last release is of 2021, pygost is not on
PyPI) and the Kazakh curves of GOST 34.10-2015 are in none."""
import base64
import binascii
import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timezone

from asn1crypto import cms, core, pem
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID
from flask_babel import lazy_gettext as _l

from app.contracts.certificate_chain import ChainCheck, attribute, certificates_in, check_chain, clean_text
from app.contracts.models import ChainOutcome
from app.errors import Refused

log = logging.getLogger(__name__)

# Digests this module computes, as asn1crypto names them.
DIGESTS = {"sha1": hashes.SHA1, "sha224": hashes.SHA224, "sha256": hashes.SHA256, "sha384": hashes.SHA384,
           "sha512": hashes.SHA512}
# Object identifiers under Kazakhstan's (1.2.398) and Russia's (1.2.643) arcs: GOST algorithms.
_GOST_ARCS = ("1.2.398.", "1.2.643.")
_IIN = re.compile(r"IIN([0-9]{12})")

NOT_CMS = _l("This file is neither a scan or photo of the signed contract (PDF, JPEG, PNG) nor an e-signature "
             "file (CMS). Choose the .cms file that eGov or NCALayer saved, or a scan of the signed paper.")
NO_SIGNER = _l("This e-signature file holds no signature with its certificate. Sign the contract again in eGov or "
               "NCALayer and upload the new file.")
GOST = _l("This e-signature is made with a GOST key, which this system cannot check yet. Sign with an RSA key, or "
          "print the contract, sign it and upload a scan or photo of the signed paper.")
BAD_SIGNATURE = _l("The e-signature does not verify: the file is damaged or was changed after signing. Sign the "
                   "contract again and upload the new file.")


class SignatureRefused(Refused):
    """An e-signature file that cannot be accepted. `code` names the reason and `facts` hold
    what was read (signer, chain), for the audit record of the attempt."""

    def __init__(self, code, message, **facts):
        super().__init__(message, field="file")
        self.code, self.facts = code, facts


@dataclass(frozen=True)
class CmsSignature:
    signer_name: str
    signer_iin: str
    signed_at: datetime | None  # UTC, naive
    digest_algorithm: str
    chain: ChainCheck


@dataclass(frozen=True)
class _Signer:
    """What one SignerInfo of the file says, read into plain values."""
    digest_algorithm: str  # an asn1crypto name, or the dotted identifier
    signature_algorithm: str  # "rsassa_pkcs1v15", "rsassa_pss", "ecdsa"... or the dotted identifier
    pss: dict | None
    signature: bytes
    signed_attributes: bytes | None  # DER, as a SET: what the signature covers
    message_digest: bytes | None
    signing_time: datetime | None
    certificate: bytes | None  # DER


def read_cms(data, issued, version, grantee_iin, roots_dir=None, now=None):
    """Checks the e-signature file `data` (bytes) over the contract and returns its CmsSignature;
    raises SignatureRefused saying why not. `issued` maps each issued version of the contract to
    its PDF; `version` is the one in force; `roots_dir` is the folder of NCA root certificates
    (None: the chain is not checked)."""
    signers, content, certificates = _read(data)
    if not signers:
        raise SignatureRefused("no_signer", NO_SIGNER)
    readable = [(signer, _certificate(signer)) for signer in signers]
    readable = [(signer, certificate) for signer, certificate in readable if certificate is not None]
    if not readable:
        raise SignatureRefused("no_signer", NO_SIGNER)
    # Several signatures in one file: the grantee's is the one that counts.
    signer, certificate = next(((s, c) for s, c in readable if _iin_of(c) == grantee_iin), readable[0])
    name, iin = _name_of(certificate), _iin_of(certificate)
    facts = {"signer_name": name, "signer_iin": iin}
    _check_algorithms(signer, certificate, facts)
    if signer.signed_attributes is None or signer.message_digest is None:
        raise _unsupported("CMS without signed attributes", facts)
    _verify(signer, certificate, facts)
    if content is not None and _digest(signer, content) != signer.message_digest:
        raise SignatureRefused("bad_signature", BAD_SIGNATURE, **facts)
    signed_version = _signed_version(signer, content, issued)
    if signed_version != version:
        facts["signed_version"] = signed_version
        if signed_version is None:
            raise SignatureRefused("other_file", _l(
                "This e-signature is over another file, not over the contract in force (version %(version)s). "
                "Download the contract, sign that PDF as it is and upload the new file.", version=version), **facts)
        raise SignatureRefused("older_version", _l(
            "This e-signature is over version %(signed)s of the contract; the contract in force is version "
            "%(version)s. Download version %(version)s, sign it and upload the new file.",
            signed=signed_version, version=version), **facts)
    if iin is None:
        raise SignatureRefused("no_iin", _l(
            "The certificate of this e-signature (%(name)s) carries no IIN. Sign with your personal EDS: its "
            "certificate carries your IIN.", name=name), **facts)
    if iin != grantee_iin:
        raise SignatureRefused("not_grantee", _l(
            "This e-signature was made by %(name)s, IIN %(iin)s, not by the grantee. Sign with your own EDS.",
            name=name, iin=iin), **facts)
    now = now or datetime.now(timezone.utc)
    chain = check_chain(certificate, certificates, roots_dir, signer.signing_time or now)
    if chain.outcome is ChainOutcome.INVALID:
        raise SignatureRefused("chain_invalid", _l(
            "The certificate of this e-signature is not confirmed by the root certificates of the National "
            "Certification Authority: %(reason)s", reason=chain.reason), **facts,
            chain=chain.outcome.value, chain_detail=chain.detail)
    signed_at = signer.signing_time.replace(tzinfo=None) if signer.signing_time else None
    return CmsSignature(signer_name=name, signer_iin=iin, signed_at=signed_at,
                        digest_algorithm=signer.digest_algorithm, chain=chain)


# --- reading the file -----------------------------------------------------------------------

def _der(data):
    """The DER bytes of the file: as they are, or decoded from PEM or base64 text."""
    if data[:1] == b"\x30":  # a DER SEQUENCE
        return data
    text = data.removeprefix(b"\xef\xbb\xbf").strip()
    try:
        if pem.detect(text):
            return pem.unarmor(text)[2]
        return base64.b64decode(b"".join(text.split()), validate=True)
    except (ValueError, binascii.Error):
        raise SignatureRefused("not_cms", NOT_CMS) from None


def _read(data):
    """The signers, the content inside the file (None when detached) and the certificates the
    file carries (DER), read from the file; a file that is not a CMS SignedData is refused."""
    try:
        info = cms.ContentInfo.load(_der(data))
        if info["content_type"].native != "signed_data":
            raise SignatureRefused("not_cms", NOT_CMS)
        signed_data = info["content"]
        content = signed_data["encap_content_info"]["content"]
        content = None if content.native is None else bytes(content.native)
        certificates = [choice.chosen for choice in signed_data["certificates"] or []
                        if choice.name == "certificate"]
        signers = [_signer(info_, certificates) for info_ in signed_data["signer_infos"]]
        return signers, content, [certificate.dump() for certificate in certificates]
    except SignatureRefused:
        raise
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as error:  # asn1crypto on broken data
        log.info("refused an upload that is not a CMS file: %r", error)
        raise SignatureRefused("not_cms", NOT_CMS) from None


def _signer(info, certificates):
    algorithm = info["signature_algorithm"]
    try:
        signature_algorithm = algorithm.signature_algo
    except ValueError:  # an identifier asn1crypto does not know: GOST, say
        signature_algorithm = algorithm["algorithm"].dotted
    pss = None
    if signature_algorithm == "rsassa_pss":
        parameters = algorithm["parameters"]
        pss = {"hash": parameters["hash_algorithm"]["algorithm"].native,
               "mgf_hash": parameters["mask_gen_algorithm"]["parameters"]["algorithm"].native,
               "salt_length": parameters["salt_length"].native}
    attributes = info["signed_attrs"]
    signed = not isinstance(attributes, core.Void)
    found = {attribute["type"].native: attribute["values"][0].native for attribute in (attributes if signed else [])
             if attribute["type"].native in ("message_digest", "signing_time")}
    return _Signer(
        digest_algorithm=info["digest_algorithm"]["algorithm"].native,
        signature_algorithm=signature_algorithm,
        pss=pss,
        signature=bytes(info["signature"].native),
        # The signature covers the attributes encoded as a SET, not with the [0] tag they carry here.
        signed_attributes=b"\x31" + attributes.dump()[1:] if signed else None,
        message_digest=found.get("message_digest"),
        signing_time=_aware(found.get("signing_time")),
        certificate=_certificate_of(info["sid"], certificates),
    )


def _aware(value):
    """A signing time in UTC (aware); None for none, or for a year Python cannot hold (asn1crypto
    gives its own type for year 0)."""
    if not isinstance(value, datetime):
        return None
    try:
        return value.astimezone(timezone.utc) if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)
    except OverflowError:
        return None


def _certificate_of(sid, certificates):
    """The DER of the certificate the signer identifier names, or None when the file lacks it."""
    for certificate in certificates:
        if sid.name == "issuer_and_serial_number":
            if (certificate.issuer == sid.chosen["issuer"]
                    and certificate.serial_number == sid.chosen["serial_number"].native):
                return certificate.dump()
        elif certificate.key_identifier == sid.chosen.native:
            return certificate.dump()
    return None


def _certificate(signer):
    found = certificates_in(signer.certificate) if signer.certificate is not None else []
    return found[0] if found else None


def _name_of(certificate):
    """The signer's name: the common name, else the surname and given names."""
    subject = certificate.subject
    return (attribute(subject, NameOID.COMMON_NAME)
            or clean_text(f"{attribute(subject, NameOID.SURNAME)} {attribute(subject, NameOID.GIVEN_NAME)}")
            or clean_text(subject.rfc4514_string()))


def _iin_of(certificate):
    found = _IIN.fullmatch(attribute(certificate.subject, NameOID.SERIAL_NUMBER))
    return found[1] if found else None


# --- checking the signature -----------------------------------------------------------------

def _is_gost(identifier):
    return identifier.startswith(_GOST_ARCS)


def _check_algorithms(signer, certificate, facts):
    key_algorithm = certificate.public_key_algorithm_oid.dotted_string
    for identifier in (signer.digest_algorithm, signer.signature_algorithm, key_algorithm):
        if _is_gost(identifier):
            raise SignatureRefused("gost", GOST, **facts, algorithm=identifier)
    if signer.digest_algorithm not in DIGESTS:
        raise _unsupported(signer.digest_algorithm, facts)


def _unsupported(algorithm, facts):
    return SignatureRefused("unsupported", _l(
        "This e-signature is made in a way this system cannot check (%(algorithm)s). Sign the contract again in "
        "eGov or NCALayer, or print it, sign it and upload a scan or photo.", algorithm=algorithm),
        **facts, algorithm=algorithm)


def _digest(signer, data):
    return hashlib.new(signer.digest_algorithm, data).digest()


def _verify(signer, certificate, facts):
    """The signature over the signed attributes, with the certificate's key: RSA (PKCS #1 v1.5 or
    PSS) or ECDSA. Any other key is refused: a signature not checked here proves nothing."""
    algorithm = DIGESTS[signer.digest_algorithm]()
    try:
        key = certificate.public_key()
        if isinstance(key, rsa.RSAPublicKey) and signer.signature_algorithm == "rsassa_pkcs1v15":
            key.verify(signer.signature, signer.signed_attributes, padding.PKCS1v15(), algorithm)
        elif isinstance(key, rsa.RSAPublicKey) and signer.signature_algorithm == "rsassa_pss":
            pss = signer.pss
            if pss["hash"] not in DIGESTS or pss["mgf_hash"] not in DIGESTS:
                raise UnsupportedAlgorithm(pss["hash"])
            key.verify(signer.signature, signer.signed_attributes,
                       padding.PSS(padding.MGF1(DIGESTS[pss["mgf_hash"]]()), pss["salt_length"]),
                       DIGESTS[pss["hash"]]())
        elif isinstance(key, ec.EllipticCurvePublicKey) and signer.signature_algorithm == "ecdsa":
            key.verify(signer.signature, signer.signed_attributes, ec.ECDSA(algorithm))
        else:
            raise UnsupportedAlgorithm(signer.signature_algorithm)
    except UnsupportedAlgorithm:
        raise _unsupported(signer.signature_algorithm, facts) from None
    except (InvalidSignature, ValueError):
        raise SignatureRefused("bad_signature", BAD_SIGNATURE, **facts) from None


def _signed_version(signer, content, issued):
    """The version of the contract the signature is over, or None for another file."""
    for version, pdf in sorted(issued.items(), reverse=True):
        if content is not None:
            if content == pdf:
                return version
        elif _digest(signer, pdf) == signer.message_digest:
            return version
    return None
