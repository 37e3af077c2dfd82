from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from excel_balance.plan import load_plan
from excel_balance.resources import default_plan_path

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def qianjiang():
    return load_plan(default_plan_path())


def _require(tool: str) -> str:
    found = shutil.which(tool)
    if found:
        return found
    if os.environ.get("EXCEL_BALANCE_REQUIRE_SOFFICE") == "1":
        pytest.fail(f"{tool} is required (EXCEL_BALANCE_REQUIRE_SOFFICE=1) but not installed")
    pytest.skip(f"{tool} not installed")


@pytest.fixture(scope="session")
def soffice():
    """Convert a workbook with LibreOffice; `recalc=True` forces formulas to be recalculated."""
    binary = _require("soffice")
    _require("pdftotext")

    def convert(workbook: Path, outdir: Path, to: str = "pdf", recalc: bool = False) -> Path:
        profile = outdir / "lo_profile"
        if recalc:
            user = profile / "user"
            user.mkdir(parents=True, exist_ok=True)
            (user / "registrymodifications.xcu").write_text(
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
                'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
                '<item oor:path="/org.openoffice.Office.Calc/Formula/Load">'
                '<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>\n'
                "</oor:items>\n",
                encoding="utf-8",
            )
        subprocess.run(
            [binary, "--headless", f"-env:UserInstallation={profile.as_uri()}",
             "--convert-to", to, "--outdir", str(outdir), str(workbook)],
            check=True, timeout=240, capture_output=True,
        )
        result = outdir / (workbook.stem + "." + to.split(":")[0])
        assert result.exists(), f"LibreOffice wrote no {result.name}"
        return result

    return convert


@pytest.fixture
def ctrl_c_after(monkeypatch):
    """`watch` stopped as by Ctrl-C at its n-th sleep; returns the list of sleeps taken."""
    import time

    def stop(n: int) -> list:
        polls = []

        def sleep(seconds):
            polls.append(seconds)
            if len(polls) == n:
                raise KeyboardInterrupt

        monkeypatch.setattr(time, "sleep", sleep)
        return polls

    return stop
