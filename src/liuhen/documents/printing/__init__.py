"""How a form prints (R6.1): the print context, the PDF and HTML renderer, its fonts and QR
codes. Knows forms and values, not the tables."""
