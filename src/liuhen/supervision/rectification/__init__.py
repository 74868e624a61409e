"""Findings, rectification, accountability and focused guidance (制度第二十二条、第二十三条):
the catalogue of what a machine detects, the state of an order, its clock and 我的待办, the
registers and the guidance thresholds."""
