"""Charts in Government Statistical Service style, published with alt text, a source line and their data.

Each chart goes out as one display bundle: an SVG <img> with alt text, a caption and a CSV link for the HTML,
and a vector PDF for the LaTeX book. The source line is drawn in the figure itself, so it survives both.
"""
from __future__ import annotations

import base64
import html
import io
import os
from pathlib import Path

import matplotlib

matplotlib.use("agg")
import matplotlib.pyplot as plt  # noqa: E402
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
    """A line chart from zero with thousands separators and the legend under the plot; returns (fig, ax)."""
    fig, ax = plt.subplots(figsize=size)
    sns.lineplot(data=data, x=x, y=y, hue=hue, marker="o", ax=ax)
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
    ax.set_ylim(bottom=0)
    ax.legend(title=None, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=columns, fontsize=9)
    return fig, ax


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


def publish(fig, name: str, alt: str, data: pd.DataFrame, source: str) -> None:
    """Display the chart with alt text and a link to the CSV behind it, and write that CSV."""
    from IPython.display import display

    if not alt.strip():
        raise ValueError(f"chart {name!r} needs alt text")
    folder = output_dir()
    folder.mkdir(parents=True, exist_ok=True)
    data.to_csv(folder / f"{name}.csv", index=False)
    chapter = os.environ.get("CSC_CHAPTER", "")
    href = f"../chart-data/{chapter}/{name}.csv" if chapter else f"{folder}/{name}.csv"
    svg = base64.b64encode(_render(fig, "svg")).decode()
    figure = (f'<figure class="csc-chart" id="chart-{name}">'
              f'<img src="data:image/svg+xml;base64,{svg}" alt="{html.escape(alt)}" style="max-width:100%">'
              f'<figcaption>Source: {html.escape(source)}. '
              f'<a href="{html.escape(href)}" download>Download the data behind this chart (CSV)</a></figcaption>'
              f"</figure>")
    display({"text/html": figure, "application/pdf": _render(fig, "pdf"), "text/plain": alt}, raw=True)
    plt.close(fig)


def trend(section, x: str, y: str, hue: str, columns: int = 2, size=(8, 4.6), marks=(), ylim_zero: bool = True) -> None:
    """Draw, finish and publish a section's line chart from its frame and its words (csc.analysis.Chart)."""
    chart, data = section.chart, section.data
    fig, ax = lines(data.dropna(subset=[y]), x, y, hue, columns=columns, size=size)
    ticks = list(dict.fromkeys(data[x])) if data[x].dtype == object else None
    for mark in marks:
        ax.axvline(ticks.index(mark) if ticks else mark, color="#B1B4B6", linewidth=1, linestyle=":")
    if ticks:
        ax.tick_params(axis="x", rotation=45)
        ax.legend(title=None, loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=columns, fontsize=9)
    if ylim_zero:
        ax.set_ylim(bottom=0)
    finish(fig, ax, title=chart.title, ylabel=chart.ylabel, xlabel=chart.xlabel, source=chart.source)
    publish(fig, chart.name, alt=chart.alt, data=data, source=chart.source)


def table(frame: pd.DataFrame, caption: str) -> None:
    """A small table as a MyST list-table with column widths, so long text wraps in the PDF as well as the HTML."""
    from IPython.display import Markdown, display

    def cell(value) -> str:
        if isinstance(value, float):
            text = "–" if pd.isna(value) else f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"
        else:
            text = str(value).replace("\n", " ").strip()
        return text or "–"

    cells = [[cell(v) for v in row] for row in frame.itertuples(index=False)]
    lengths = [max([len(str(c))] + [len(r[i]) for r in cells]) for i, c in enumerate(frame.columns)]
    widths = [max(6, round(min(n, 80) ** 0.75)) for n in lengths]
    lines = [f"~~~{{list-table}} {caption}", ":header-rows: 1", f":widths: {' '.join(map(str, widths))}"]
    if len(cells) > 6:  # lets LaTeX break the table across pages
        lines.append(":class: longtable")
    lines.append("")
    for row in [[str(c) for c in frame.columns]] + cells:
        lines.append("* - " + "\n  - ".join(row))
    display(Markdown("\n".join(lines + ["~~~"])))  # a tilde fence: its caption may hold `code`
