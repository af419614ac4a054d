# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["remove-cell"]
# # Area profile
#
# One page of the atlas (`make atlas`): an area's headline figures from each chapter of *The Case for Change,
# re-examined*, and every claim of the review judged for it. Not part of the book's table of contents.

# %% tags=["parameters"]
area = "E08000035"          # any current local authority or region, by GSS code, DfE 3-digit code or exact name

# %%
from IPython.display import HTML, Markdown, display

from csc import charts
from csc.analysis import profile

charts.style()
page = profile.profile(area)
display(Markdown(f"# {page.name[:1].upper() + page.name[1:]}\n\n{page.intro}"))

# %% [markdown]
# ## How it compares

# %%
display(Markdown(page.comparison))
for section, headline in zip(page.sections, profile.HEADLINES):
    display(Markdown(f"### {headline.short} ({headline.chapter.lower()})\n\n" + section.sentences[headline.key]))

# %%
panels = [(s.chart.title, s.chart.ylabel, s.data.set_axis([*s.data.columns[:-1], "value"], axis=1))
          for s in page.sections]
fig, _ = charts.small_multiples(panels, "year", "value", "area", page.chart.title)
charts.publish(fig, page.chart.name, alt=page.chart.alt, data=page.data, source=page.chart.source, pdf=False)

# %% [markdown]
# ## The review's claims, judged here
#
# Each claim is judged twice: with the data the review had (figures as first published, to 2019-20) and with the
# latest data held.

# %%
display(Markdown(page.claims_summary))
display(HTML(page.claims_html))

# %% [markdown]
# ## More for this area

# %%
display(Markdown(page.links))
