"""Charts in Government Statistical Service style, published with alt text, a source line and their data.

Each chart goes out as one display bundle: an SVG <img> with alt text, a caption and a CSV link for the HTML,
and a vector PDF for the LaTeX book. The source line is drawn in the figure itself, so it survives both.
"""
from __future__ import annotations

import base64
import html
import io
import os
import re
import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

# Analysis Function categorical palette (accessible, in this order).
PALETTE = ["#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1"]
TEXT = "#0B0C0C"


def style() -> None:
    sns.set_theme(context="notebook", style="ticks", palette=PALETTE, font="DejaVu Sans")
    plt.rcParams.update({
        "axes.spines.top": False, "axes.spines.right": False, "axes.titlelocation": "left",
        "axes.titlesize": 12, "axes.titleweight": "bold", "axes.labelsize": 10, "axes.edgecolor": "#505A5F",
        "axes.labelcolor": TEXT, "text.color": TEXT, "xtick.color": TEXT, "ytick.color": TEXT,
        "legend.frameon": False, "figure.dpi": 100, "svg.fonttype": "none", "pdf.fonttype": 42,
    })


def output_dir() -> Path:
    """Where a chapter's CSVs go: the build sets CSC_OUTPUT_DIR; a notebook run by hand writes beside itself."""
    return Path(os.environ.get("CSC_OUTPUT_DIR", "chart_data"))


def lines(data: pd.DataFrame, x: str, y: str, hue: str, columns: int = 3, size=(8, 4.6)):
    """A line chart from zero with thousands separators and the legend under the plot; returns (fig, ax).

    Each line is drawn over every x of the chart, so a suppressed or missing year is a gap, not a straight join."""
    fig, ax = plt.subplots(figsize=size)
    xs = sorted(data[x].dropna().unique())
    for colour, (label, rows) in zip(PALETTE * 3, data.groupby(hue, sort=False)):
        line = rows.groupby(x)[y].sum(min_count=1).reindex(xs)
        ax.plot(xs, line.to_numpy(dtype=float), marker="o", markersize=4, color=colour, label=label)
    # Whole-number ticks only: the labels show no decimals, and years are never 2019.5.
    ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(steps=[1, 2, 5, 10], integer=True))
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
    ax.set_ylim(bottom=0)
    ax.legend(title=None, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=columns, fontsize=9)
    return fig, ax


def small_multiples(panels, x: str, y: str, hue: str, title: str, columns: int = 2, width: float = 9.0):
    """Small line charts on one finished figure, a title stating the finding and one legend under them (the atlas's
    headline figures, HTML only: publish() puts the source line in the caption). panels are (title, ylabel, frame);
    a line keeps its colour across panels. One figure draws far faster than several."""
    rows = -(-len(panels) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(width, 2.9 * rows + 0.9), squeeze=False)
    colours: dict[str, str] = {}
    for ax, (heading, ylabel, data) in zip(axes.flat, panels):
        for label, part in data.groupby(hue, sort=False):
            colour = colours.setdefault(label, PALETTE[len(colours) % len(PALETTE)])
            line = part.groupby(x)[y].sum(min_count=1).reindex(sorted(data[x].unique()))
            ax.plot(line.index, line.to_numpy(dtype=float), marker="o", markersize=3, color=colour, label=label)
        ax.set_title(heading, loc="left", fontsize=8.5)
        ax.set_ylabel(ylabel, fontsize=8)
        ax.set_ylim(bottom=0)
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
        ax.yaxis.set_major_formatter(lambda v, _: f"{v:,.0f}" if v >= 10 or v == 0 else f"{v:.1f}")
        ax.tick_params(labelsize=8)
        ax.grid(axis="y", color="#D9D9D9", linewidth=0.8)
    for ax in axes.flat[len(panels):]:
        ax.set_visible(False)
    handles = {label: handle for ax in axes.flat for handle, label in zip(*ax.get_legend_handles_labels())}
    fig.legend(handles.values(), handles.keys(), loc="lower center", ncol=4, fontsize=9, bbox_to_anchor=(0.5, 0.0))
    fig.suptitle(textwrap.fill(title, 95), x=0.01, ha="left", fontsize=12, fontweight="bold")
    fig.tight_layout(rect=(0, 0.07, 1, 0.98))
    return fig, axes


def finish(fig, ax, title: str, ylabel: str, source: str, xlabel: str = "") -> None:
    """Title that states the finding, labelled axes, and the source line under the chart."""
    ax.set_title(title, loc="left", wrap=True)
    ax.set_ylabel(ylabel)
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", color="#D9D9D9", linewidth=0.8)
    ax.set_axisbelow(True)
    fig.text(0.01, 0.005, f"Source: {source}", fontsize=8, color="#505A5F", ha="left", va="bottom", wrap=True)
    fig.tight_layout(rect=(0, 0.05, 1, 1))


def _render(fig, fmt: str) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, metadata={"Date": None} if fmt == "svg" else {"CreationDate": None})
    return buffer.getvalue()


def tidy_numbers(data: pd.DataFrame) -> pd.DataFrame:
    """A chart's CSV as a reader wants it: whole numbers as integers, other numbers without float noise."""
    out = data.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_float_dtype(values):
            held = values.dropna()
            out[column] = values.astype("Int64") if len(held) and (held == held.round()).all() else values.round(4)
    return out


def write_csv(data: pd.DataFrame, name: str) -> str:
    """Write a chapter's CSV where the build publishes it; returns the link to it from the chapter's page."""
    folder = output_dir()
    folder.mkdir(parents=True, exist_ok=True)
    tidy_numbers(data).to_csv(folder / f"{name}.csv", index=False)
    chapter = os.environ.get("CSC_CHAPTER", "")
    return f"../chart-data/{chapter}/{name}.csv" if chapter else f"{folder}/{name}.csv"


def download(data: pd.DataFrame, name: str, what: str) -> None:
    """A table's data as a CSV beside the chapter's charts, with a download link in the HTML and the file named in
    the PDF."""
    from IPython.display import display

    href = write_csv(data, name)
    place = f"{name}.csv".replace("_", r"\_")
    display({"text/html": f'<p class="csc-download"><a href="{html.escape(href)}" download>Download {html.escape(what)} '
                          f"(CSV)</a></p>",
             "text/latex": rf"\emph{{{what[:1].upper() + what[1:]} can be downloaded as a CSV file with the HTML "
                           rf"edition of the book ({place}).}}",
             "text/plain": f"{what}: {href}"}, raw=True)


def publish(fig, name: str, alt: str, data: pd.DataFrame, source: str, pdf: bool = True) -> None:
    """Display the chart with alt text and a link to the CSV behind it, and write that CSV (pdf=False: HTML only,
    for pages that never go to LaTeX, such as the atlas's)."""
    from IPython.display import display

    if not alt.strip():
        raise ValueError(f"chart {name!r} needs alt text")
    href = write_csv(data, name)
    svg = base64.b64encode(_render(fig, "svg")).decode()
    figure = (f'<figure class="csc-chart" id="chart-{name}">'
              f'<img src="data:image/svg+xml;base64,{svg}" alt="{html.escape(alt)}" style="max-width:100%">'
              f'<figcaption>Source: {html.escape(source)}. '
              f'<a href="{html.escape(href)}" download>Download the data behind this chart (CSV)</a></figcaption>'
              f"</figure>")
    bundle = {"text/html": figure, "text/plain": alt} | ({"application/pdf": _render(fig, "pdf")} if pdf else {})
    display(bundle, raw=True)
    plt.close(fig)


def trend(section, x: str, y: str, hue: str, columns: int = 2, size=(8, 4.6), marks=(), marks_label: str = "",
          ylim_zero: bool = True) -> None:
    """Draw, finish and publish a section's line chart from its frame and its words (csc.analysis.Chart).

    Labelled periods ('2012-13') are placed in their own order, not in order of appearance, and rotated."""
    chart, data = section.chart, section.data
    shown = data
    labels = None
    if not pd.api.types.is_numeric_dtype(shown[x]):
        labels = sorted(shown[x].astype(str).unique())
        shown = shown.assign(**{x: shown[x].astype(str).map({label: i for i, label in enumerate(labels)})})
    fig, ax = lines(shown.sort_values(x), x, y, hue, columns=columns, size=size)
    for i, mark in enumerate(marks):
        ax.axvline(labels.index(mark) if labels else mark, color="#505A5F", linewidth=1, linestyle=":",
                   label=marks_label if i == 0 else None)
    if labels:
        ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
    ax.legend(title=None, loc="upper center", bbox_to_anchor=(0.5, -0.3 if labels else -0.12), ncol=columns,
              fontsize=9)
    if ylim_zero:
        ax.set_ylim(bottom=0)
    finish(fig, ax, title=chart.title, ylabel=chart.ylabel, xlabel=chart.xlabel, source=chart.source)
    publish(fig, chart.name, alt=chart.alt, data=data, source=chart.source)


# Table layout for the PDF, in pt: the A4 text width and the cells' \small type.
LINE_WIDTH = 450.0
CELL_PADDING = 13.0          # the two \tabcolsep of a column and a rule
EM = 9.0
CHAR_WIDTH = {"text": 0.5 * EM, "code": 0.6 * EM, "head": 0.62 * EM}   # FreeSerif, FreeMono, FreeSans bold
WHOLE_WORD = 14              # words up to this length ("FH-14", "rate_per_10000") are kept whole
LABEL_COLUMNS = re.compile(r"year|period|release", re.I)   # integer columns shown without thousands separators


def _column_format(values: pd.Series, name: str, decimals):
    """One format for every number in a column: integers with separators, others all at the same decimals."""
    numbers = [v for v in values if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
               and not pd.isna(v)]
    if isinstance(decimals, dict) and name in decimals:
        places = decimals[name]
    elif all(float(v).is_integer() for v in numbers):
        places = 0
    else:
        places = decimals if isinstance(decimals, int) else 1
    separator = "" if LABEL_COLUMNS.search(str(name)) else ","

    def cell(value) -> str:
        if value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value)):
            return "–"
        if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
            return f"{value:{separator}.{places}f}"
        return str(value).replace("\n", " ").strip() or "–"
    return cell


def _segments(text: str, kind: str) -> list[str]:
    """The pieces of a cell to keep on one line: code breaks after . / _ (see the preamble); text at spaces, and
    long words after _ and -, so short ids such as FH-1 and units such as rate_per_10000 stay whole."""
    pieces = []
    for word in text.split():
        if kind == "code":
            pieces += re.split(r"(?<=[./_])", word)
        else:
            pieces += [word] if len(word) <= WHOLE_WORD else re.split(r"(?<=[_-])", word)
    return [p for p in pieces if p]


def _widest(cell: str, kind: str = "text", whole: bool = False) -> float:
    """Width in pt of the widest unbreakable piece of a Markdown cell (code spans in monospace), or of the whole
    cell on one line."""
    chunks = [("code" if index % 2 else kind, chunk.replace("*", "")) for index, chunk in enumerate(cell.split("`"))]
    if whole:
        return sum(len(chunk) * CHAR_WIDTH[chunk_kind] for chunk_kind, chunk in chunks)
    return max([len(piece) * CHAR_WIDTH[chunk_kind] for chunk_kind, chunk in chunks
                for piece in _segments(chunk, chunk_kind)], default=0.0)


def column_widths(header: list[str], cells: list[list[str]]) -> list[float]:
    """Column widths in pt: a table whose cells all fit on one line is as wide as they are; a wider one fills the
    line, each column at least its widest unbreakable piece, the rest shared by the length of the text (so wide
    prose columns get the room)."""
    needs = [max([_widest(h, "head")] + [_widest(r[i]) for r in cells]) + CELL_PADDING for i, h in enumerate(header)]
    lengths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(header)]
    natural = [max([_widest(h, "head", whole=True)] + [_widest(r[i], whole=True) for r in cells]) + CELL_PADDING
               for i, h in enumerate(header)]
    if sum(natural) <= LINE_WIDTH:
        return natural
    wants = [min(n, 80) ** 0.75 for n in lengths]
    widths, free = [0.0] * len(header), set(range(len(header)))
    if sum(needs) >= LINE_WIDTH:   # cannot fit: keep the proportions of the needs (the book test reports it)
        return [LINE_WIDTH * n / sum(needs) for n in needs]
    while free:
        room = LINE_WIDTH - sum(widths[i] for i in range(len(header)) if i not in free)
        share = {i: room * wants[i] / sum(wants[j] for j in free) for i in free}
        short = [i for i in free if share[i] < needs[i]]
        if not short:
            for i in free:
                widths[i] = share[i]
            break
        for i in short:
            widths[i] = needs[i]
            free.discard(i)
    return widths


def list_table(frame: pd.DataFrame, caption: str, decimals=None, widths=None) -> str:
    """The MyST source of table(): a tabularcolumns line for LaTeX (small type, text ragged right, numbers to the
    right) and a list-table with the same widths for HTML."""
    formats = [_column_format(frame[c], c, decimals) for c in frame.columns]
    cells = [[f(v) for f, v in zip(formats, row)] for row in frame.itertuples(index=False)]
    header = [str(c) for c in frame.columns]
    if widths is None:
        widths = column_widths(header, cells)
    elif len(widths) == len(header):
        widths = [LINE_WIDTH * w / sum(widths) for w in widths]
    else:
        raise ValueError(f"table {caption!r}: {len(widths)} widths for {len(header)} columns")
    units = [max(1, round(1000 * w / LINE_WIDTH)) for w in widths]   # thousandths of the line
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
               for c in frame.columns]
    spec = "".join(rf">{{\small\{'raggedleft' if n else 'raggedright'}\arraybackslash}}\X{{{u}}}{{1000}}"
                   for n, u in zip(numeric, units))
    lines = ["~~~{tabularcolumns} " + spec, "~~~", "",
             f"~~~{{list-table}} {caption}", ":header-rows: 1", f":widths: {' '.join(map(str, units))}"]
    if len(cells) > 6:  # lets LaTeX break the table across pages
        lines.append(":class: longtable")
    lines.append("")
    for row in [header] + cells:
        lines.append("* - " + "\n  - ".join(row))
    return "\n".join(lines + ["~~~"])  # tilde fences: a caption may hold `code`


def table(frame: pd.DataFrame, caption: str, decimals=None, widths=None) -> None:
    """A small formatted table, so long text wraps and identifiers fit in the PDF as well as the HTML.

    decimals: places for every column that holds a non-integer number (an int, default 1), or for named
    columns ({column: places}); columns of whole numbers show as integers with thousands separators (without them
    in year, period and release columns). widths: relative column widths,
    by default computed so that each column holds its widest unbreakable piece (a measure name's segment, an id).
    """
    from IPython.display import Markdown, display

    display(Markdown(list_table(frame, caption, decimals=decimals, widths=widths)))
