"""Shared fixtures. Seeds and gold data are read from ../shared and skipped when absent."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = sorted((SHARED / "seeds").glob("*.txt")) if (SHARED / "seeds").is_dir() else []
EXAMPLES = REPO / "examples"


@pytest.fixture
def seed_paths() -> list[Path]:
    if not SEEDS:
        pytest.skip("../shared/seeds is not present")
    return SEEDS


@pytest.fixture
def pdnc_path() -> Path:
    path = SHARED / "data" / "gold" / "dev" / "pdnc.jsonl"
    if not path.is_file():
        pytest.skip("../shared/data/gold/dev/pdnc.jsonl is not present")
    return path
