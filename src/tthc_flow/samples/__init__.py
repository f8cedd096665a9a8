"""A sample catalog (danh mục mẫu): four realistic procedures of a province, one of each kind
the library serves, with their legal basis named and every illustrative detail marked so.

- :mod:`~tthc_flow.samples.judicial_record`: one-stop, fractional-day steps, three versions
  across the 1 March 2025 transfer of judicial records and the 1 July 2025 change of rules;
- :mod:`~tthc_flow.samples.land`: financial obligation excluded, +10 working days for remote
  communes;
- :mod:`~tthc_flow.samples.birth_registration`: inter-agency, each agency its own deadline;
- :mod:`~tthc_flow.samples.internal`: an internal procedure of a department (seed 002).

>>> catalog = sample_catalog()
>>> catalog.codes
('VD.LLTP', 'VD.DD', 'VD.LTKS', 'VD.NB')
"""

from __future__ import annotations

from functools import cache

from tthc_flow.catalog import Catalog
from tthc_flow.samples import birth_registration, internal, judicial_record, land
from tthc_flow.samples.units import UNITS

__all__ = ["sample_catalog"]


@cache
def sample_catalog() -> Catalog:
    """The sample catalog (built once; catalogs are immutable, so sharing it is safe)."""
    return Catalog(
        name="Danh mục thủ tục hành chính mẫu (sample catalog)",
        issuer="UBND tỉnh (minh họa)",
        units=UNITS,
        publications=(
            *judicial_record.publications(),
            *land.publications(),
            *birth_registration.publications(),
            *internal.publications(),
        ),
    )
