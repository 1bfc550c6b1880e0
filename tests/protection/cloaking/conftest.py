from __future__ import annotations

from pathlib import Path

import pytest

from tests.protection.cloaking import builders


@pytest.fixture(scope="session")
def encoder_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return builders.tiny_encoder(tmp_path_factory.mktemp("encoder") / "tiny-encoder.pt")


@pytest.fixture
def folder_pipeline(tmp_path: Path) -> type[builders.FolderPipeline]:
    builders.FolderPipeline.reset(tmp_path / "variants")
    return builders.FolderPipeline
