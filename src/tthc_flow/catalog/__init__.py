"""Catalogs of procedures (danh mục thủ tục hành chính): versions in force by date, checked
as a whole, written in Python or published as JSON, shipped as installable packages.

>>> from datetime import date
>>> from tthc_flow.samples import sample_catalog
>>> catalog = sample_catalog()
>>> catalog.resolve("VD.LLTP", on=date(2025, 6, 30)).rules[0].name
'DECREE_61_2018'
>>> catalog.resolve("VD.LLTP", on=date(2025, 7, 1)).rules[0].name
'DECREE_118_2025'
"""

from tthc_flow.catalog._checks import CHECKS, ERROR, WARNING, Finding, Severity, run_checks
from tthc_flow.catalog._codec import (
    FORMAT,
    FORMAT_VERSION,
    catalog_from_dict,
    catalog_from_json,
    catalog_to_dict,
    catalog_to_json,
    schema,
)
from tthc_flow.catalog._loading import ENTRY_POINT_GROUP, available_catalogs, load_catalog
from tthc_flow.catalog._model import REVIEW_INTERVAL, Catalog, Decision, Publication, Unit

__all__ = [
    "CHECKS",
    "ENTRY_POINT_GROUP",
    "ERROR",
    "FORMAT",
    "FORMAT_VERSION",
    "REVIEW_INTERVAL",
    "WARNING",
    "Catalog",
    "Decision",
    "Finding",
    "Publication",
    "Severity",
    "Unit",
    "available_catalogs",
    "catalog_from_dict",
    "catalog_from_json",
    "catalog_to_dict",
    "catalog_to_json",
    "load_catalog",
    "run_checks",
    "schema",
]
