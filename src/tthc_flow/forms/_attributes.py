"""The case attributes the library reads: defined with the engine, which checks them when a
case is opened (:mod:`tthc_flow.engine._attributes`); named here too, where the forms read
them."""

from tthc_flow.engine._attributes import CASE_ATTRIBUTES, CaseAttribute

__all__ = ["CASE_ATTRIBUTES", "CaseAttribute"]
