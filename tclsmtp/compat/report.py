"""The HTML report: one self-contained page, tcllib on the left, tclsmtp on the right.

Everything shown comes from the scripts' runs and is escaped; the page
loads nothing (no scripts, fonts or images), so it can be mailed or
archived as is.
"""
from __future__ import annotations

import datetime as _dt
import difflib
import html
from pathlib import Path
from typing import Iterable, Optional

from .compare import Section
from .harness import Comparison
from .documented import documented_entry

CSS = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #1b1b1b; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 2em; border-top: 1px solid #ccc; padding-top: .8em; }
table.summary { border-collapse: collapse; } table.summary td, table.summary th { padding: .2em .8em; border-bottom: 1px solid #e4e4e4; text-align: left; vertical-align: top; }
.v { font-weight: 600; padding: .05em .5em; border-radius: .3em; white-space: nowrap; }
.v-match, .v-documented { background: #dff3df; color: #125212; }
.v-mismatch, .v-changed-difference, .v-error { background: #fbe0e0; color: #8a1414; }
.meta { color: #555; font-size: .9em; } .meta code { font-size: .95em; }
details { margin: .4em 0; } summary { cursor: pointer; }
summary .same { color: #2a6b2a; } summary .differs { color: #a11; font-weight: 600; }
table.side { border-collapse: collapse; width: 100%; table-layout: fixed; font: 12.5px/1.35 ui-monospace, Menlo, Consolas, monospace; }
table.side th { background: #f1f1f1; text-align: left; padding: .2em .5em; font: 600 13px system-ui, sans-serif; }
table.side td { padding: 0 .5em; white-space: pre-wrap; word-break: break-all; vertical-align: top; border-left: 1px solid #eee; }
table.side td.n { width: 3em; color: #999; text-align: right; border: 0; user-select: none; }
tr.chg td.l { background: #ffecec; } tr.chg td.r { background: #eaffea; }
tr.del td.l { background: #ffd7d7; } tr.add td.r { background: #d4fcd4; }
td.l del, td.r ins { text-decoration: none; background: #ffb3b3; } td.r ins { background: #9ef09e; }
p.doc { background: #f4f7fb; border-left: 3px solid #7a9cc6; padding: .4em .7em; }
.diff { font: 12.5px/1.35 ui-monospace, monospace; white-space: pre-wrap; background: #fafafa; border: 1px solid #e4e4e4; padding: .5em; }
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _inline(a: str, b: str) -> tuple[str, str]:
    """Both lines escaped, with the differing characters marked."""
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if sm.ratio() < 0.6:        # unrelated lines: letter-level marks only confuse
        return f"<del>{_e(a)}</del>", f"<ins>{_e(b)}</ins>"
    left, right = [], []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            left.append(_e(a[i1:i2]))
            right.append(_e(b[j1:j2]))
        else:
            if i2 > i1:
                left.append(f"<del>{_e(a[i1:i2])}</del>")
            if j2 > j1:
                right.append(f"<ins>{_e(b[j1:j2])}</ins>")
    return "".join(left), "".join(right)


def _side_by_side(section: Section) -> str:
    a, b = section.reference, section.ours
    rows: list[tuple[str, object, str, object, str]] = []   # (class, line a, a, line b, b)
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            for k in range(i2 - i1):
                rows.append(("", i1 + k + 1, _e(a[i1 + k]), j1 + k + 1, _e(b[j1 + k])))
            continue
        for k in range(max(i2 - i1, j2 - j1)):
            la = a[i1 + k] if i1 + k < i2 else None
            lb = b[j1 + k] if j1 + k < j2 else None
            if la is not None and lb is not None:
                hl, hr = _inline(la, lb)
                rows.append(("chg", i1 + k + 1, hl, j1 + k + 1, hr))
            elif la is not None:
                rows.append(("del", i1 + k + 1, _e(la), "", ""))
            else:
                rows.append(("add", "", "", j1 + k + 1, _e(lb or "")))
    body = "".join(
        f'<tr class="{cls}"><td class="n">{na}</td><td class="l">{la}</td>'
        f'<td class="n">{nb}</td><td class="r">{lb}</td></tr>'
        for cls, na, la, nb, lb in rows)
    return ('<table class="side"><colgroup><col style="width:3em"><col><col style="width:3em">'
            '<col></colgroup><tr><th></th><th>tcllib (reference)</th><th></th><th>tclsmtp</th></tr>'
            f"{body}</table>")


def _comparison(n: int, c: Comparison) -> str:
    parts = [f'<h2 id="s{n}">{_e(c.config.script.name)} '
             f'<span class="v v-{c.verdict}">{_e(c.verdict)}</span></h2>',
             f'<p>{_e(c.headline())}</p>']
    for hint in c.hints():
        parts.append(f'<p class="doc"><b>Hint:</b> {_e(hint)}</p>')
    meta = []
    if c.reference is not None:
        meta.append(f"reference: tclsh {_e(c.reference.tcl)}, mime {_e(c.reference.mime)}, "
                    f"smtp {_e(c.reference.smtp)}"
                    + (f" (tcllib in {_e(c.reference.tcllib)})" if c.reference.tcllib else ""))
    for side in (c.tcllib, c.tclsmtp):
        if side is not None:
            meta.append(f"{_e(side.name)}: <code>{_e(' '.join(side.command))}</code> "
                        f"({side.seconds:.2f} s)")
    meta.append("sends: " + ("redirected to the recording server" if c.config.redirects
                             else "to the server named in the arguments"))
    parts.append('<p class="meta">' + "<br>".join(meta) + "</p>")
    if c.config.difference:
        entry = documented_entry(c.config.difference)
        parts.append('<p class="doc"><b>Documented difference</b> (docs/compat.md): '
                     f"{_e(entry or c.config.difference)}</p>")
    if c.verdict == "changed-difference" and c.expected_diff is not None:
        parts.append("<details><summary>the documented (expected) diff</summary>"
                     f'<div class="diff">{_e(c.expected_diff)}</div></details>')
    for s in c.sections:
        state = ('<span class="same">same</span>' if s.equal else
                 '<span class="differs">differs</span>' if s.counts else
                 '<span class="differs">differs (not counted)</span>')
        is_open = "" if s.equal else " open"
        parts.append(f"<details{is_open}><summary>{_e(s.title)}: {state} "
                     f'<span class="meta">({len(s.reference)} / {len(s.ours)} lines)</span>'
                     f"</summary>{_side_by_side(s)}</details>")
    return "\n".join(parts)


def render_report(results: Iterable[Comparison]) -> str:
    results = list(results)
    ok = sum(1 for r in results if r.ok)
    counts: dict[str, int] = {}
    for r in results:
        counts[r.verdict] = counts.get(r.verdict, 0) + 1
    tally = ", ".join(f"{n} {v}" for v, n in sorted(counts.items()))
    rows = "".join(
        f'<tr><td><a href="#s{i}">{_e(r.config.script.name)}</a></td>'
        f'<td><span class="v v-{r.verdict}">{_e(r.verdict)}</span></td>'
        f"<td>{_e(r.headline().split(': ', 1)[-1])}</td></tr>"
        for i, r in enumerate(results))
    when = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tclsmtp compat: {ok} of {len(results)} match</title>
<style>{CSS}</style></head><body>
<h1>tclsmtp compat: {ok} of {len(results)} scripts match tcllib or differ only as documented</h1>
<p><b>{_e(tally)}</b></p>
<p class="meta">Generated {_e(when)}. Each script ran under tclsh with tcllib (left) and under
tclsmtp (right), each against a recording SMTP server. Values that differ on every run
(generated IDs, boundaries, the current date, SIZE when only those changed it) are shown
normalized, as <code>&lt;ID-1&gt;</code>, <code>&lt;BOUNDARY-1&gt;</code>,
<code>&lt;now: ...&gt;</code>. Red: only in tcllib's run; green: only in tclsmtp's.</p>
<table class="summary"><tr><th>script</th><th>verdict</th><th>details</th></tr>{rows}</table>
{"".join(_comparison(i, r) for i, r in enumerate(results))}
</body></html>
"""


def write_report(path: Path, results: Iterable[Comparison]) -> None:
    path.write_text(render_report(results), encoding="utf-8")
