"""The tcllib the benchmarks measure against: tcllib 2.0 (mime 1.7.2, smtp
1.5.2), whose sources are in ../shared/reference/tcllib-2.0/modules beside
the repository. It goes in front of TCLLIBPATH for every process a
benchmark starts; tclsh then loads it rather than Debian's tcllib 1.21,
while `tclsmtp run` still loads its own mime and smtp (they win over any
tcllib on auto_path)."""
from __future__ import annotations

import os
from pathlib import Path

REFERENCE_TCLLIB = (Path(__file__).resolve().parents[1].parent
                    / "shared" / "reference" / "tcllib-2.0" / "modules")


def use_reference_tcllib() -> None:
    if not REFERENCE_TCLLIB.is_dir():
        raise SystemExit(f"the reference tcllib 2.0 is missing: {REFERENCE_TCLLIB}")
    rest = os.environ.get("TCLLIBPATH", "")
    os.environ["TCLLIBPATH"] = ("{" + str(REFERENCE_TCLLIB) + "} " + rest).strip()
