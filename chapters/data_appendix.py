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
import pandas as pd

import csc
from csc import catalogue as cat, manifest
from csc.chapter import say
from csc.charts import table

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
    for m in (m for m in measures.values() if m.table == table_name):
        part = frame[frame["measure"] == m.name]
        periods = sorted(part["period"].unique())
        releases = sorted(part["release"].unique())
        held = "; ".join([
            f"{periods[0]} to {periods[-1]}" if periods else "none held",
            ", ".join(LEVEL_SHORT[lv] for lv in LEVEL_SHORT if lv in set(part["geographic_level"])),
            f"breakdowns: {breakdowns(part)}",
            f"{len(releases)} release{'s' if len(releases) != 1 else ''} ({releases[0]} to {releases[-1]})"
            if releases else "",
        ])
        rows.append({"measure": f"`{m.name}`", "what it counts": m.definition, "unit": m.unit, "held": held})
    table(pd.DataFrame(rows), f"Tidy table `{table_name}`")

# %% [markdown]
# ## Caveats and breaks in series

# %%
lines = []
for m in measures.values():
    notes = list(m.caveats) + [f"Break at {b['period']}: {b['note']}" for b in m.breaks]
    if notes:
        lines.append(f"- **`{m.name}`** — " + " ".join(notes))
from IPython.display import Markdown, display
display(Markdown("\n".join(lines) or "No caveats recorded."))

# %% [markdown]
# ## Official files
#
# All files are used as published, under the Open Government Licence v3.0 (Crown copyright). The first twelve
# characters of each file's SHA-256 hash are shown; `data/sources.yml` in the repository holds the full hash.

# %%
csc.query._check_declared("manifest")
entries = manifest.load().values()
files = pd.DataFrame([{"publisher": e.publisher, "publication": e.publication, "release": e.release,
                       "file": f"`{e.file}`", "sha256": e.sha256[:12]} for e in entries])
table(files.sort_values(["publisher", "publication", "release", "file"]), "Files in the manifest")
