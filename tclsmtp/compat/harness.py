"""One comparison: run a script under tcllib and under tclsmtp, compare."""
from __future__ import annotations

import re
import tempfile
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Optional

from .compare import Section, diff_text, observe, sections, summary
from .config import ConfigError, ScriptConfig
from .normalize import Normalizer, script_procs
from .servers import DeadPort, TlsFiles, make_server, make_tls
from .sides import (Reference, SideResult, base_environment, find_reference, prelude_dir,
                    helper_env, reference_command, reference_env, run_side, tclsmtp_command)

HOST = "127.0.0.1"
TLSIMPORT = re.compile(r"-tlsimport\s+(1|true|yes|on)\b", re.I)


@dataclass
class Comparison:
    config: ScriptConfig
    reference: Optional[Reference]
    tcllib: Optional[SideResult]
    tclsmtp: Optional[SideResult]
    sections: list[Section]
    expected_diff: Optional[str] = None      # for a documented difference
    error: Optional[str] = None              # the comparison itself failed

    def hints(self) -> list[str]:
        """Setup mistakes that would explain a mismatch."""
        if self.verdict != "mismatch":
            return []
        try:
            text = self.config.script.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return []
        hints = []
        if self.config.server.tls != "implicit" and TLSIMPORT.search(text):
            hints.append("the script uses -tlsimport (TLS from the first byte): compare it "
                         "with --implicit-tls (or `# compat: tls implicit`)")
        return hints

    @property
    def diff(self) -> str:
        return diff_text(self.sections)

    @property
    def matches(self) -> bool:
        return self.error is None and self.diff == ""

    @property
    def verdict(self) -> str:
        """match | documented | mismatch | changed-difference | error."""
        if self.error is not None:
            return "error"
        if self.config.difference is None:
            return "match" if self.matches else "mismatch"
        if self.expected_diff is None:
            return "changed-difference"
        return "documented" if self.diff == self.expected_diff else "changed-difference"

    @property
    def ok(self) -> bool:
        return self.verdict in ("match", "documented")

    def __repr__(self) -> str:
        return f"<Comparison {self.config.script.name}: {self.verdict}>"

    def headline(self) -> str:
        name = self.config.script.name
        v = self.verdict
        if v == "match":
            return f"{name}: match"
        if v == "documented":
            return f"{name}: differs exactly as documented: \"{self.config.difference}\""
        if v == "error":
            return f"{name}: could not compare: {self.error}"
        if v == "changed-difference":
            if self.expected_diff is None:
                return (f"{name}: marked with difference \"{self.config.difference}\", but "
                        f"{self.config.expected_diff_path.name} is missing")
            if self.matches:
                return (f"{name}: marked with difference \"{self.config.difference}\", "
                        "but the runs now match")
            return (f"{name}: differs otherwise than the documented difference "
                    f"\"{self.config.difference}\": {summary(self.sections)}")
        return f"{name}: {summary(self.sections)}"


def _substitute(args: list[str], values: dict[str, str]) -> list[str]:
    out = []
    for a in args:
        for key, value in values.items():
            a = a.replace(key, value)
        out.append(a)
    return out


def compare(config: ScriptConfig, *, tclsh: str = "tclsh", tcllib: Optional[str] = None,
            cwd: Optional[Path] = None, self_check: bool = False,
            transport: str = "bridge") -> Comparison:
    """Run config.script on both sides, each against its own recording server.

    ``transport``: the tclsmtp side runs as ``tclsmtp run SCRIPT`` ("bridge")
    or as the reference tclsh with TCLLIBPATH from ``tclsmtp tcl-path``
    ("helper": the helper-process transport).

    ``self_check`` runs the reference on both sides instead: any difference
    then is the script's or the harness's own nondeterminism, not tclsmtp's.
    ``tcllib``: a tcllib directory the reference loads first (`--tcllib DIR`).
    """
    if self_check:                            # both sides are tcllib: nothing is deliberate
        config = replace(config, difference=None)
    reference = find_reference(tclsh, tcllib)  # ReferenceMissing propagates: nothing to do
    script = config.script.resolve()
    if not script.is_file():
        raise ConfigError(f"no such script: {config.script}")
    stdin = config.stdin_data
    if stdin is None and config.stdin is not None:
        try:
            stdin = Path(config.stdin).read_bytes()
        except OSError as e:
            raise ConfigError(f"cannot read stdin file {config.stdin}: {e.strerror}") from None
    with tempfile.TemporaryDirectory(prefix="tclsmtp-compat-") as tmp:
        work = Path(tmp)
        tls: Optional[TlsFiles] = make_tls(work) if config.server.tls != "none" else None
        dead = DeadPort()
        ref_server = make_server(config.server, tls).start()
        our_server = make_server(config.server, tls).start()
        try:
            common = {"{server}": HOST, "{deadport}": str(dead.port),
                      "{cafile}": str(tls.cafile) if tls else "", "{dir}": str(script.parent)}
            env = base_environment(config.env)
            redirect = config.redirects
            ref_args = _substitute(config.args, {**common, "{port}": str(ref_server.port)})
            our_args = _substitute(config.args, {**common, "{port}": str(our_server.port)})
            ref_cmd = reference_command(reference, script, ref_args)
            ref_env = reference_env(env, prelude_dir(
                work, (HOST, ref_server.port) if redirect else None), reference.tcllib)
            if self_check:
                our_cmd = reference_command(reference, script, our_args)
                our_env = reference_env(env, prelude_dir(
                    work / "ours", (HOST, our_server.port) if redirect else None),
                    reference.tcllib)
            elif transport == "helper":
                our_cmd = reference_command(reference, script, our_args)
                our_env = helper_env(env, (HOST, our_server.port) if redirect else None)
            else:
                our_cmd = tclsmtp_command(script, our_args,
                                          (HOST, our_server.port) if redirect else None)
                # tcllib prints no hint lines after an uncaught error.
                our_env = {**env, "TCLSMTP_QUIET": "1"}
            results: dict[str, SideResult] = {}

            def run(name: str, cmd: list[str], side_env: dict[str, str]) -> None:
                results[name] = run_side(name, cmd, side_env, stdin, config.timeout, cwd)

            threads = [threading.Thread(target=run, args=("tcllib", ref_cmd, ref_env)),
                       threading.Thread(target=run, args=("tclsmtp", our_cmd, our_env))]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            for server, name in ((ref_server, "tcllib"), (our_server, "tclsmtp")):
                server.wait_closed(2.0)
                with server.lock:
                    results[name].connections = list(server.connections)
                results[name].port = server.port
        finally:
            ref_server.stop()
            our_server.stop()
            dead.close()
    theirs, ours = results["tcllib"], results["tclsmtp"]
    procs = script_procs(script.read_text(encoding="utf-8", errors="replace"))
    ref_obs = observe(theirs, Normalizer(
        fix_duplicate_boundary=reference.writes_boundary_twice, redirect=redirect,
        ports={theirs.port: "<port>", dead.port: "<deadport>"}, script_procs=procs))
    our_obs = observe(ours, Normalizer(
        fix_duplicate_boundary=self_check and reference.writes_boundary_twice, redirect=redirect,
        ports={ours.port: "<port>", dead.port: "<deadport>"}, script_procs=procs))
    result = Comparison(config, reference, theirs, ours,
                        sections(ref_obs, our_obs, ignore_debug=config.ignore_debug))
    if config.difference is not None and config.expected_diff_path.is_file():
        result.expected_diff = config.expected_diff_path.read_text(encoding="utf-8")
    return result
