"""The QR code on the presenter screen, drawn as inline SVG on the server: no script and
no image request, and no inline style (the Content-Security-Policy forbids them)."""

import re

import qrcode
import qrcode.image.svg
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def join_qr_svg(url: str) -> SafeString:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    svg = image.to_string(encoding="unicode")
    # The library sizes it in millimetres; the page's CSS sizes it instead.
    svg = re.sub(r'<svg width="[^"]*" height="[^"]*"', "<svg", svg, count=1)
    svg = svg.replace(
        "<svg",
        f'<svg class="join-qr" role="img" aria-label="QR code for {escape(url)}"',
        1,
    )
    return mark_safe(svg)  # noqa: S308 - the library's own markup, the URL escaped
