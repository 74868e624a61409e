"""QR codes printed on documents: verification (every issued document) and payment (R11.1)."""

from __future__ import annotations

import segno


def qr_data_uri(data: str) -> str:
    """An SVG data URI of ``data`` as a QR code, error correction level M.

    No quiet zone is drawn (the page around it is white and the print layout leaves a
    margin) and no size is fixed: the stylesheet sizes it, and it stays vector in the PDF.
    """
    code = segno.make(data, error="m", boost_error=False, micro=False)
    return str(code.svg_data_uri(border=0, omitsize=True))
