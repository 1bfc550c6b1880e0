"""Rights and provenance written into every variant: an XMP packet and a signed C2PA manifest.

No Django here: this module runs in the sandboxed child too. The XMP packet is built with
ElementTree (the artist's name is user input: it is escaped by the serializer, never spliced
into a string). The C2PA manifest is signed with c2pa-python (Content Credentials): the
artist as author, the platform as publisher, the work declared as made by a person, and the
CAWG training-and-data-mining assertion set to "notAllowed" for every AI use.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import c2pa

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "Iptc4xmpCore": "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
    "Iptc4xmpExt": "http://iptc.org/std/Iptc4xmpExt/2008-02-29/",
    "plus": "http://ns.useplus.org/ldf/xmp/1.0/",
}
DATA_MINING_PROHIBITED = "http://ns.useplus.org/ldf/vocab/DMI-PROHIBITED-AIMLTRAINING"
DIGITAL_SOURCE_TYPE = "http://cv.iptc.org/newscodes/digitalsourcetype/"
TRAINING_MINING_ENTRIES = (
    "cawg.ai_generative_training",
    "cawg.ai_training",
    "cawg.ai_inference",
    "cawg.data_mining",
)
C2PA_MIME = {"jpeg": "image/jpeg", "webp": "image/webp", "avif": "image/avif"}

for _prefix, _uri in NS.items():
    ET.register_namespace(_prefix, _uri)


@dataclass(frozen=True)
class Credit:
    """Who made the work and where it lives: what every variant says about itself."""

    artist_name: str
    artist_handle: str
    profile_url: str
    site_name: str
    site_url: str
    source_type: str  # IPTC digital source type code, e.g. "digitalCreation"
    asset_id: int
    year: int

    @property
    def copyright_notice(self) -> str:
        return (
            f"© {self.year} {self.artist_name}. All rights reserved. "
            "No AI/ML training or data mining."
        )


def _q(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"


def xmp_packet(credit: Credit) -> bytes:
    """The XMP packet (creator, copyright, web statement, PLUS data-mining prohibition)."""
    meta = ET.Element(_q("x", "xmpmeta"))
    rdf = ET.SubElement(meta, _q("rdf", "RDF"))
    desc = ET.SubElement(rdf, _q("rdf", "Description"), {_q("rdf", "about"): ""})

    creator = ET.SubElement(ET.SubElement(desc, _q("dc", "creator")), _q("rdf", "Seq"))
    ET.SubElement(creator, _q("rdf", "li")).text = credit.artist_name
    rights = ET.SubElement(ET.SubElement(desc, _q("dc", "rights")), _q("rdf", "Alt"))
    li = ET.SubElement(
        rights, _q("rdf", "li"), {"{http://www.w3.org/XML/1998/namespace}lang": "x-default"}
    )
    li.text = credit.copyright_notice
    ET.SubElement(desc, _q("xmpRights", "Marked")).text = "True"
    ET.SubElement(desc, _q("xmpRights", "WebStatement")).text = credit.profile_url
    ET.SubElement(
        desc, _q("photoshop", "Credit")
    ).text = f"{credit.artist_name} / {credit.site_name}"
    ET.SubElement(desc, _q("photoshop", "Source")).text = credit.site_name
    contact = ET.SubElement(
        desc, _q("Iptc4xmpCore", "CreatorContactInfo"), {_q("rdf", "parseType"): "Resource"}
    )
    ET.SubElement(contact, _q("Iptc4xmpCore", "CiUrlWork")).text = credit.profile_url
    ET.SubElement(desc, _q("Iptc4xmpExt", "DigitalSourceType")).text = (
        DIGITAL_SOURCE_TYPE + credit.source_type
    )
    ET.SubElement(desc, _q("plus", "DataMining")).text = DATA_MINING_PROHIBITED
    body = ET.tostring(meta, encoding="utf-8", xml_declaration=False)
    return (
        b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        + body
        + b'<?xpacket end="w"?>'
    )


def c2pa_manifest(credit: Credit, *, title: str) -> dict[str, Any]:
    return {
        "claim_generator_info": [{"name": credit.site_name, "version": "1"}],
        "title": title,
        "assertions": [
            {
                "label": "c2pa.actions",
                "data": {
                    "actions": [
                        {
                            "action": "c2pa.created",
                            "digitalSourceType": DIGITAL_SOURCE_TYPE + credit.source_type,
                            "softwareAgent": {"name": credit.site_name},
                        },
                    ]
                },
            },
            {
                "label": "cawg.training-mining",
                "data": {
                    "entries": {name: {"use": "notAllowed"} for name in TRAINING_MINING_ENTRIES}
                },
            },
            {
                "label": "stds.schema-org.CreativeWork",
                "data": {
                    "@context": "https://schema.org",
                    "@type": "CreativeWork",
                    "author": [
                        {
                            "@type": "Person",
                            "name": credit.artist_name,
                            "identifier": f"@{credit.artist_handle}",
                            "url": credit.profile_url,
                        }
                    ],
                    "publisher": {
                        "@type": "Organization",
                        "name": credit.site_name,
                        "url": credit.site_url,
                    },
                    "copyrightNotice": credit.copyright_notice,
                    "identifier": str(credit.asset_id),
                },
                "kind": "Json",
            },
        ],
    }


class ProvenanceSigner:
    """Signs encoded variants with the configured (or development) certificate chain."""

    def __init__(self, chain_pem: bytes, key_pem: bytes) -> None:
        info = c2pa.C2paSignerInfo(
            alg=c2pa.C2paSigningAlg.ES256, sign_cert=chain_pem, private_key=key_pem, ta_url=None
        )
        self._signer = c2pa.Signer.from_info(info)
        # No thumbnail inside the manifest: variants must not carry embedded thumbnails,
        # and on a 320 px JPEG it would double the file.
        self._context = c2pa.Context.from_dict({"builder": {"thumbnail": {"enabled": False}}})

    def sign(self, data: bytes, *, fmt: str, manifest: dict[str, Any]) -> bytes:
        source = io.BytesIO(data)
        dest = io.BytesIO()
        with c2pa.Builder(json.dumps(manifest), context=self._context) as builder:
            builder.sign(self._signer, C2PA_MIME[fmt], source, dest)
        return dest.getvalue()

    def close(self) -> None:
        self._signer.close()
        self._context.close()


def read_manifest(data: bytes, mime: str) -> dict[str, Any] | None:
    """The C2PA manifest store in ``data`` as JSON, or None when there is none."""
    try:
        reader = c2pa.Reader.try_create(mime, io.BytesIO(data))
    except c2pa.C2paError as error:
        return {"validation_state": "Invalid", "error": str(error)}
    if reader is None:
        return None
    with reader:
        store: dict[str, Any] = json.loads(reader.json())
    return store


# --- the development certificate chain ----------------------------------------------------


def ensure_dev_chain(directory: Path, *, organisation: str) -> tuple[Path, Path]:
    """A local ES256 CA and signing certificate, generated once into ``directory``.

    Content Credentials signed with it validate as "Valid" (the signature and the chain are
    sound) with ``signingCredential.untrusted``: no public trust list knows this CA. Real
    deployments set IMPASTO_C2PA_CERT_PATH and IMPASTO_C2PA_KEY_PATH (docs/imaging.md).
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    chain_path = directory / "chain.pem"
    key_path = directory / "key.pem"
    if chain_path.exists() and key_path.exists():
        return chain_path, key_path
    directory.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)

    def name(common: str) -> x509.Name:
        return x509.Name(
            [
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
                x509.NameAttribute(NameOID.COMMON_NAME, common),
            ]
        )

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = name(f"{organisation} development C2PA root")
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ca_ski, critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(name(f"{organisation} development signer"))
        .issuer_name(ca_name)
        .public_key(leaf_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(leaf_key.public_key()), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    key_bytes = leaf_key.private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    tmp_key = key_path.with_suffix(".tmp")
    tmp_key.write_bytes(key_bytes)
    tmp_key.chmod(0o600)
    tmp_chain = chain_path.with_suffix(".tmp")
    tmp_chain.write_bytes(leaf.public_bytes(pem) + ca.public_bytes(pem))
    # Key first, chain last: a reader that sees chain.pem also finds its key.
    tmp_key.replace(key_path)
    tmp_chain.replace(chain_path)
    return chain_path, key_path
