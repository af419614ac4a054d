"""The Case for Change, re-examined: the one package chapters use to read data, check claims and draw charts.

    import csc
    csc.value("cp.section47_enquiries", area="E92000001", period="2020")      # 201000.0
    csc.series("cla.children_looked_after", area="Leeds", vintage="first")
"""
from importlib import import_module

_EXPORTS = {"value": "query", "series": "query", "by_breakdown": "query", "measure_rows": "query", "table": "query",
            "areas": "query",
            "cite": "sources"}


def __getattr__(name):  # imported lazily so `python -m csc fetch` does not pay for pandas
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(name)


__all__ = list(_EXPORTS)
