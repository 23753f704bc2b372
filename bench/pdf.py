"""How long the PDF of the generated round's report takes, and the memory it needs, as a
worker makes it: the published version read, one reader's scope of it put into markup
(`pdf_html`), the report let go, the pages laid out and written (`pdf_render`). Run
bench/generate.py, then bench/report.py (which leaves the round's report published).

    .venv/bin/python bench/pdf.py              # 3 runs of each scope
    .venv/bin/python bench/pdf.py --runs 1 --keep /tmp/report   # /tmp/report-whole.pdf, …

Each run is a process of its own, as a worker's task is the first PDF its process draws:
the time from reading the published version to the last byte written (and the CPU time
it took, the figure to compare on a machine shared with other work), and the process's
peak resident memory (Django, the report and WeasyPrint; VmHWM). Two scopes: the whole
organisation, as an executive downloads it, and the largest division, as its lead does.
"""

import argparse
import gc
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from environment import configure, median


def draw(scope: str, output: Path) -> dict[str, float]:
    """One PDF of the bench round, in this process; its figures."""
    configure()
    import pypdfium2
    from django.db.models import Q

    from assessment.models import Department, Person, Round
    from assessment.reporting.exports import report_export
    from assessment.reporting.exports.pdf import pdf_html, pdf_render
    from assessment.selectors.reports import report_snapshot

    round_ = Round.objects.select_related("organisation").get(organisation__slug="bench")
    within = None
    if scope == "lead":
        divisions = Department.objects.filter(organisation=round_.organisation, parent=None)
        within = max(
            divisions,
            key=lambda division: Person.objects.filter(
                Q(department=division) | Q(department__path__startswith=f"{division.path}/")
            ).count(),
        )
    began, cpu = time.perf_counter(), time.process_time()
    snapshot = report_snapshot(round_)
    if snapshot is None:
        raise SystemExit("No published report: run bench/report.py first.")
    html = pdf_html(report_export(round_, snapshot, within, texts=False))
    del snapshot  # the report lets go before the layout (pdf_html)
    gc.collect()
    with output.open("wb") as stream:
        pdf_render(html, stream)
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    status = Path("/proc/self/status").read_text()
    peak = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    document = pypdfium2.PdfDocument(output)
    pages = len(document)
    document.close()
    return {
        "seconds": seconds,
        "cpu": cpu,
        "peak_mib": int(peak.split()[1]) / 1024,
        "pages": pages,
        "mib": output.stat().st_size / 2**20,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scopes", nargs="+", default=["whole", "lead"])
    parser.add_argument("--keep", type=Path, help="Keep each scope's last PDF as KEEP-scope.pdf.")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        print(json.dumps(draw(options.child, options.output)))
        return
    with tempfile.TemporaryDirectory() as scratch:
        stem = options.keep or Path(scratch) / "report"
        for scope in options.scopes:
            print(scope_figures(scope, stem.with_name(f"{stem.name}-{scope}.pdf"), options.runs))


def scope_figures(scope: str, output: Path, runs: int) -> str:
    """`runs` PDFs of one scope, each in a process of its own; a line of their figures."""
    figures = []
    for _ in range(runs):
        child = subprocess.run(
            [sys.executable, __file__, "--child", scope, "--output", str(output)],
            check=True,
            capture_output=True,
            text=True,
        )
        figures.append(json.loads(child.stdout.strip().splitlines()[-1]))
    times = [figure["seconds"] for figure in figures]
    cpu = median([figure["cpu"] for figure in figures])
    return (
        f"{scope}: {figures[-1]['pages']} pages, {figures[-1]['mib']:.1f} MiB; "
        f"{median(times):.1f} s (median of {runs}: {', '.join(f'{t:.1f}' for t in times)}; "
        f"CPU {cpu:.1f} s); peak {max(figure['peak_mib'] for figure in figures):.0f} MiB"
    )


if __name__ == "__main__":
    main()
