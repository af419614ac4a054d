"""Claims GEN-1 and GEN-2: the review's own account of whom it heard. No chapter tests them; the ledger shows their
boxes."""
from __future__ import annotations

from . import register_untestable

UNTESTABLE = {
    "GEN-1": ("not checkable with public data",
              "these are the review's own counts of the people and submissions it heard, published by no one else; "
              "only the review's engagement records (who took part, and through which route) would settle them"),
    "GEN-2": ("not checkable with public data",
              "the review's own count of responses to its feedback form and email; only its correspondence records "
              "would settle it, and no published table holds them"),
}


register_untestable(UNTESTABLE)
