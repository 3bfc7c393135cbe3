"""A stand-in for the National Certification Authority (NCA) of Kazakhstan in the demo and the
tests: a certification authority made here, whose certificates name a person as NCA certificates
do (CN = the full name, serialNumber = "IIN" and the 12 digits), and the e-signature file (CMS) a
person makes over a document with such a certificate, as eGov or NCALayer hand it over.

The authority lives as long as the process (made on first use): `demo_root_pem()` is the root that
checks what `signed_cms` signed in the same process. Nothing here is trusted by a real system."""
import functools
from datetime import datetime, timedelta, timezone

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID

DEMO_AUTHORITY_NAME = "DEMO ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA)"
KEY_BITS = 2048


def _new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)


class DemoAuthority:
    """A certification authority with its key, which issues people's signing certificates: a root,
    or an intermediate authority under `parent`."""

    def __init__(self, name=DEMO_AUTHORITY_NAME, key=None, valid_days=3650, parent=None):
        self.key = key or _new_key()
        self.name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
                               x509.NameAttribute(NameOID.COMMON_NAME, name)])
        now = datetime.now(timezone.utc)
        self.certificate = (
            x509.CertificateBuilder()
            .subject_name(self.name).issuer_name(parent.name if parent else self.name)
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=valid_days))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .sign(parent.key if parent else self.key, hashes.SHA256())
        )

    def person(self, full_name, iin, not_before=None, not_after=None, key=None):
        """A key (`key`, else a new RSA key) and a signing certificate of the person: CN is the full
        name, the surname and the given names are split from it, serialNumber is "IIN" + `iin`."""
        now = datetime.now(timezone.utc)
        key = key or _new_key()
        surname, _space, given = full_name.partition(" ")
        attributes = [x509.NameAttribute(NameOID.COMMON_NAME, full_name),
                      x509.NameAttribute(NameOID.SURNAME, surname),
                      x509.NameAttribute(NameOID.SERIAL_NUMBER, f"IIN{iin}"),
                      x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ")]
        if given:
            attributes.insert(2, x509.NameAttribute(NameOID.GIVEN_NAME, given))
        certificate = (
            x509.CertificateBuilder()
            .subject_name(x509.Name(attributes)).issuer_name(self.name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before or now - timedelta(days=1))
            .not_valid_after(not_after or now + timedelta(days=365))
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(self.key, hashes.SHA256())
        )
        return key, certificate

    def certificate_pem(self):
        return self.certificate.public_bytes(serialization.Encoding.PEM)


def cms(data, key, certificate, detached=True, algorithm=None, carried=()):
    """The DER CMS SignedData of `data` by `key`, carrying `certificate` (and the `carried` ones)
    and the signed attributes (content type, signing time, message digest); `detached` leaves the
    data out."""
    options = [pkcs7.PKCS7Options.Binary] + ([pkcs7.PKCS7Options.DetachedSignature] if detached else [])
    builder = pkcs7.PKCS7SignatureBuilder().set_data(data).add_signer(certificate, key, algorithm or hashes.SHA256())
    for other in carried:
        builder = builder.add_certificate(other)
    return builder.sign(serialization.Encoding.DER, options)


@functools.cache
def demo_authority():
    """The demo's authority, made once per process."""
    return DemoAuthority()


def signed_cms(data: bytes, full_name: str, iin: str) -> bytes:
    """A detached DER e-signature file of `data` by the person (`full_name`, `iin`), whose
    certificate the demo's authority issued."""
    key, certificate = demo_authority().person(full_name, iin)
    return cms(data, key, certificate)


def demo_root_pem() -> bytes:
    """The demo authority's root certificate (PEM), for a folder of roots (NCA_ROOTS_DIR)."""
    return demo_authority().certificate_pem()
