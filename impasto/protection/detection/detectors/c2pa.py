"""C2PA Content Credentials: an AI digital source type declared anywhere in the manifest store.

Every manifest in the store is walked, not only the active one: when a person opens an AI image
in an editor that writes C2PA, the AI ``c2pa.created`` action sits in the *ingredient's*
manifest and the active one says only ``c2pa.opened``. A declaration counts whatever the
signature's standing ("Valid" from an unknown signer, "Trusted" with configured anchors, even
"Invalid" after an edit that kept the manifest), because people rarely forge an AI claim onto
their own art; the evidence says "AI (declared)" and carries the validation state, so a
moderator sees how much the signature itself is worth and the artist can appeal.

Reading is offline: remote manifests and OCSP are never fetched (a file must not make the
server call out to an address it names).
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import c2pa
from django.core.exceptions import ImproperlyConfigured

from impasto.protection.detection import vocab
from impasto.protection.detection.base import (
    Detector,
    DetectorError,
    Evidence,
    Strength,
    strong,
    weak,
)
from impasto.protection.detection.subject import Subject

logger = logging.getLogger(__name__)


def _agent_name(agent: Any) -> str:
    if isinstance(agent, dict):
        return " ".join(str(agent.get(key, "")) for key in ("name", "version")).strip()
    return str(agent or "").strip()


def _walk(data: Any) -> Iterator[tuple[str, Any]]:
    """Every (key, value) pair in a JSON structure."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield str(key), value
            yield from _walk(value)
    elif isinstance(data, list):
        for item in data:
            yield from _walk(item)


class C2paDetector(Detector):
    name = "c2pa"

    def __init__(self, *, trust_anchors: str | Path | None = None) -> None:
        settings: dict[str, Any] = {
            "verify": {"remote_manifest_fetch": False, "ocsp_fetch": False},
        }
        if trust_anchors:
            path = Path(trust_anchors)
            try:
                pem = path.read_text()
            except OSError as error:
                raise ImproperlyConfigured(
                    f"C2PA trust anchors {path}: {error.strerror or error}"
                ) from None
            settings["verify"]["verify_trust"] = True
            settings["trust"] = {"trust_anchors": pem}
        self._context = c2pa.Context.from_dict(settings)

    def read_store(self, subject: Subject) -> dict[str, Any] | None:
        """The manifest store as JSON, or None when the file has no C2PA data."""
        # Every embedding (JPEG APP11, PNG caBX, WebP C2PA chunk) labels its JUMBF store
        # "c2pa": without those bytes there is nothing to read, and most files stop here.
        if b"c2pa" not in subject.data:
            return None
        try:
            reader = c2pa.Reader.try_create(
                subject.mime, io.BytesIO(subject.data), context=self._context
            )
        except c2pa.C2paError as error:
            # The native library reports a remote-only manifest as "Remote: ..." (a plain
            # C2paError in 0.38). That is a reference to a manifest elsewhere (XMP
            # dcterms:provenance): following it would let an upload make the server fetch any
            # URL, so it is not read and is no finding.
            if isinstance(error, c2pa.C2paError.RemoteManifest) or str(error).startswith(
                ("Remote:", "RemoteManifest:")
            ):
                logger.info("%s points at a remote C2PA manifest; not fetched", subject.name)
                return None
            raise DetectorError(f"unreadable C2PA data: {error}") from None
        if reader is None:
            return None
        with reader:
            store: dict[str, Any] = json.loads(reader.json())
        return store

    def detect(self, subject: Subject) -> Iterable[Evidence]:
        store = self.read_store(subject)
        if store is None:
            return []
        state = store.get("validation_state") or "unknown"
        codes = sorted({str(status.get("code")) for status in store.get("validation_status") or []})
        standing = f"validation {state}" + (f" ({', '.join(codes)})" if codes else "")
        active = store.get("active_manifest")
        found: list[Evidence] = []
        names: dict[str, str] = {}
        for label, manifest in (store.get("manifests") or {}).items():
            where = "active manifest" if label == active else "ingredient manifest"
            signer = (manifest.get("signature_info") or {}).get("issuer") or "unknown signer"
            for generator in self._generator_strings(manifest):
                if (name := vocab.generator_name_in(generator)) is not None:
                    names.setdefault(name.lower(), f"{generator!r} in the {where} {label}")
            for assertion in manifest.get("assertions") or []:
                found.extend(
                    self._assertion_evidence(assertion, f"the {where} {label}", signer, standing)
                )
        found.extend(
            weak(vocab.SOFTWARE_NAME, f"C2PA names a generator: {where}")
            for where in names.values()
        )
        return found

    @staticmethod
    def _generator_strings(manifest: dict[str, Any]) -> Iterator[str]:
        if isinstance(generator := manifest.get("claim_generator"), str):
            yield generator
        for info in manifest.get("claim_generator_info") or []:
            if isinstance(info, dict):
                yield _agent_name(info)
        for assertion in manifest.get("assertions") or []:
            if str(assertion.get("label", "")).startswith("c2pa.actions"):
                for action in (assertion.get("data") or {}).get("actions") or []:
                    if isinstance(action, dict) and action.get("softwareAgent"):
                        yield _agent_name(action["softwareAgent"])

    @staticmethod
    def _assertion_evidence(
        assertion: dict[str, Any], where: str, signer: str, standing: str
    ) -> Iterator[Evidence]:
        label = str(assertion.get("label", ""))
        data = assertion.get("data") or {}
        if label.startswith("c2pa.actions"):
            for action in data.get("actions") or []:
                if not isinstance(action, dict):
                    continue
                source_type = str(action.get("digitalSourceType") or "")
                strength = vocab.source_type_strength(source_type)
                if strength is None:
                    continue
                agent = _agent_name(action.get("softwareAgent")) or "an unnamed agent"
                code = vocab.normalise_source_type(source_type)
                if strength is Strength.STRONG:
                    yield strong(
                        vocab.C2PA_AI,
                        f"AI (declared): {action.get('action')} with digitalSourceType {code}"
                        f" by {agent} in {where}, signed by {signer}; {standing}",
                    )
                else:
                    yield weak(
                        vocab.C2PA_SYNTHETIC,
                        f"{action.get('action')} with digitalSourceType {code} by {agent}"
                        f" in {where}; {standing}",
                    )
        elif label.startswith(("stds.iptc", "c2pa.metadata")):
            # IPTC metadata carried inside the manifest (JSON-LD keys such as
            # "Iptc4xmpExt:DigitalSourceType").
            for key, value in _walk(data):
                bare = key.rsplit(":", 1)[-1]
                if bare == "DigitalSourceType" and isinstance(value, str):
                    strength = vocab.source_type_strength(value)
                    code = vocab.normalise_source_type(value)
                    if strength is Strength.STRONG:
                        yield strong(
                            vocab.C2PA_AI,
                            f"AI (declared): {label} DigitalSourceType {code} in {where},"
                            f" signed by {signer}; {standing}",
                        )
                    elif strength is Strength.WEAK:
                        yield weak(
                            vocab.C2PA_SYNTHETIC,
                            f"{label} DigitalSourceType {code} in {where}; {standing}",
                        )
                elif bare in vocab.IPTC_AI_FIELDS and value:
                    yield strong(
                        vocab.IPTC_AI_SYSTEM,
                        f"AI (declared): {label} {bare}={str(value)[:200]!r} in {where},"
                        f" signed by {signer}; {standing}",
                    )
