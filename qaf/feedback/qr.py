"""QR codes for links, as inline SVG that a page or a printed slip can carry."""

import segno
from markupsafe import Markup


def qr_svg(link: str, label: str) -> Markup:
    """An SVG QR code of ``link``, announced to screen readers by ``label`` (the link is printed beside it)."""
    svg = segno.make(link, error="m").svg_inline(scale=4, svgclass="qaf-qr", lineclass=None, omitsize=False)
    # segno's SVG is markup we trust (paths from the link's bits); the label is escaped by format().
    return Markup(svg.replace("<svg ", '<svg role="img" aria-label="{}" ', 1)).format(label)  # noqa: S704
