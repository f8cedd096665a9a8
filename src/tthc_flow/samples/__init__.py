"""A sample catalog (danh mục mẫu): four realistic procedures of a province, one of each kind
the library serves, with their legal basis named and every illustrative detail marked so.

- :mod:`~tthc_flow.samples._judicial_record`: one-stop, fractional-day steps, three versions
  across the 1 March 2025 transfer of judicial records and the 1 July 2025 change of rules;
- :mod:`~tthc_flow.samples._land`: financial obligation excluded, +10 working days for remote
  communes;
- :mod:`~tthc_flow.samples._birth_registration`: inter-agency, each agency its own deadline;
- :mod:`~tthc_flow.samples._internal`: an internal procedure of a department (seed 002).

>>> catalog = sample_catalog()
>>> catalog.codes
('VD.LLTP', 'VD.DD', 'VD.LTKS', 'VD.NB')
"""

from __future__ import annotations

from functools import cache

from tthc_flow.catalog import Catalog
from tthc_flow.samples import _birth_registration, _internal, _judicial_record, _land
from tthc_flow.samples._units import (
    BHXH,
    COMMUNE,
    COMMUNE_DESK,
    COMMUNE_JUSTICE,
    COMMUNE_POLICE,
    DOHA_BOARD,
    DOHA_OFFICE,
    DOHA_ORGANISATION,
    JUSTICE_BOARD,
    JUSTICE_RECORDS,
    LAND_OFFICE,
    POLICE_BOARD,
    POLICE_DESK,
    POLICE_RECORDS,
    PROVINCE_DESK,
    TAX,
    UNITS,
)

__all__ = [
    "BHXH",
    "COMMUNE",
    "COMMUNE_DESK",
    "COMMUNE_JUSTICE",
    "COMMUNE_POLICE",
    "DOHA_BOARD",
    "DOHA_OFFICE",
    "DOHA_ORGANISATION",
    "JUSTICE_BOARD",
    "JUSTICE_RECORDS",
    "LAND_OFFICE",
    "POLICE_BOARD",
    "POLICE_DESK",
    "POLICE_RECORDS",
    "PROVINCE_DESK",
    "TAX",
    "UNITS",
    "sample_catalog",
]


@cache
def sample_catalog() -> Catalog:
    """The sample catalog (built once; catalogs are immutable, so sharing it is safe)."""
    return Catalog(
        name="Danh mục thủ tục hành chính mẫu (sample catalog)",
        issuer="UBND tỉnh (minh họa)",
        units=UNITS,
        publications=(
            *_judicial_record.publications(),
            *_land.publications(),
            *_birth_registration.publications(),
            *_internal.publications(),
        ),
    )
