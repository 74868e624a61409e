"""The one door of the cases app: every state change and every audited read, by area.

``registration`` (cases, parties, reading a case), ``numbering`` (the 文号 pattern and
series), ``filing`` (leads and the filing decision), ``approvals``, ``decisions`` (rights
notices, legal review, collective discussion, the decision, the simple procedure),
``hearings``, ``suspensions`` and ``workflow`` (moving on, closing). Callers import the
module they need; nothing is re-exported here.
"""
