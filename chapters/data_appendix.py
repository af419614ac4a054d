# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Appendix: the data
#
# Every number in this book comes from the measures below, each built from the official files listed at the end.
# This page is generated from the package's measure catalogue and the tidy tables themselves, so the periods and
# levels shown are those actually held: {glue:md}`holdings`. Levels: E England, R regions, LA local authorities.

# %% tags=["parameters"]
# This appendix takes no parameters.

# %%
import os

import pandas as pd
from IPython.display import Markdown, display

import csc
from csc import catalogue as cat, manifest
from csc.chapter import say
from csc.charts import output_dir, table

measures = cat.catalogue()
held = {}
for name in sorted({m.table for m in measures.values()}):
    held[name] = csc.table(name)
say("holdings", f"{len(measures)} measures in {len(held)} tables, {sum(len(t) for t in held.values()):,} rows")

# %% [markdown]
# ## Measures

# %%
LEVEL_SHORT = {"national": "E", "regional": "R", "local_authority": "LA"}


def breakdowns(part: pd.DataFrame) -> str:
    """'none', or how many and by what: '12 by category'."""
    labels = sorted(b for b in part["breakdown"].unique() if b)
    if not labels:
        return "none"
    dims = sorted({piece.split("=", 1)[0] for b in labels for piece in b.split("; ")})
    return f"{len(labels)} by {' and '.join(dims)}"

for table_name, frame in held.items():
    rows = []
    parts = dict(tuple(frame.groupby("measure", sort=False)))   # one pass over the table, not one per measure
    for m in (m for m in measures.values() if m.table == table_name):
        part = parts.get(m.name, frame.iloc[:0])
        periods = sorted(part["period"].unique())
        releases = sorted(part["release"].unique())
        coverage = "; ".join([
            f"{periods[0]} to {periods[-1]}" if periods else "none held",
            ", ".join(LEVEL_SHORT[lv] for lv in LEVEL_SHORT if lv in set(part["geographic_level"])),
            f"breakdowns: {breakdowns(part)}",
            f"{len(releases)} release{'s' if len(releases) != 1 else ''} ({releases[0]} to {releases[-1]})"
            if releases else "",
        ])
        rows.append({"measure": f"`{m.name}`", "what it counts": m.definition, "unit": m.unit, "held": coverage})
    # Room for most measure names on one line; the rest break after a dot or an underscore.
    table(pd.DataFrame(rows), f"Tidy table `{table_name}`", widths=[26, 35, 17, 22])

# %% [markdown]
# ## Caveats and breaks in series

# %%
lines = []
for m in measures.values():
    notes = list(m.caveats) + [f"Break at {b['period']}: {b['note']}" for b in m.breaks]
    if notes:
        lines.append(f"- **`{m.name}`** — " + " ".join(notes))
display(Markdown("\n".join(lines) or "No caveats recorded."))

# %% [markdown]
# ## Official files
#
# All files are used as published, under the Open Government Licence v3.0 (Crown copyright). The tables show the
# first twelve characters of each file's SHA-256 hash.

# %%
csc.query._check_declared("manifest")
entries = manifest.load().values()
files = pd.DataFrame([{"publisher": e.publisher, "publication": e.publication, "release": e.release,
                       "file": e.file, "sha256": e.sha256} for e in entries])
files = files.sort_values(["publisher", "publication", "release", "file"])
output_dir().mkdir(parents=True, exist_ok=True)
files.to_csv(output_dir() / "official_files.csv", index=False)
href = f"../chart-data/{os.environ['CSC_CHAPTER']}/official_files.csv" if "CSC_CHAPTER" in os.environ \
    else f"{output_dir()}/official_files.csv"
display({"text/html": f'<p>The full hashes are in <code>data/sources.yml</code> in the repository and in '
                      f'<a href="{href}" download>the list of files (CSV)</a>.</p>',
         "text/markdown": "The full hashes are in `data/sources.yml` in the repository."}, raw=True)
for (publisher, publication), part in files.groupby(["publisher", "publication"], sort=True):
    shown = pd.DataFrame({"release": part["release"], "file": [f"`{f}`" for f in part["file"]],
                          "sha256 (first 12)": part["sha256"].str[:12]})
    table(shown, f"{publication} ({publisher})", widths=[12, 63, 25])   # the same columns in every table
