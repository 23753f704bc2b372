"""Reading a PDF back as a reader and a screen reader would: its pages' text, its contents
with their links, what its tags say each text is, and its catalog (tagged, language,
title). Through PDFium (Chromium's PDF engine)."""

import ctypes
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import pypdfium2
import pypdfium2.raw as pdfium

HEADINGS = {"H", "H1", "H2", "H3", "H4", "H5", "H6"}
# A contents entry as PDFium reads it: the title, the leader's dots, the page number.
ENTRY = re.compile(r"^(?P<title>\S.*?)[\s.]*\.{3,}\s*(?P<page>\d+)$")


@contextmanager
def opened(content: bytes) -> Iterator[pypdfium2.PdfDocument]:
    document = pypdfium2.PdfDocument(content)
    try:
        yield document
    finally:
        document.close()


def page_texts(document: pypdfium2.PdfDocument) -> list[str]:
    return [" ".join(page.get_textpage().get_text_bounded().split()) for page in document]


def contents(content: bytes) -> tuple[list[tuple[str, int]], set[int]]:
    """The contents (the pages from the first with an entry up to the next without one):
    each entry's title and the page number it prints, and the pages (1-based) that the
    links on those pages lead to."""
    entries: list[tuple[str, int]] = []
    targets: set[int] = set()
    with opened(content) as document:
        for page in document:
            text = page.get_textpage().get_text_bounded().replace("\r\n", "\n")
            lines = [ENTRY.match(line.strip()) for line in text.split("\n")]
            found = [(m["title"], int(m["page"])) for m in lines if m]
            if entries and not found:
                break
            entries += found
            if found:
                targets |= _link_targets(document, page)
    return entries, targets


def _link_targets(document: pypdfium2.PdfDocument, page: pypdfium2.PdfPage) -> set[int]:
    position = ctypes.c_int(0)
    link = pdfium.FPDF_LINK()
    targets = set()
    while pdfium.FPDFLink_Enumerate(page.raw, ctypes.byref(position), ctypes.byref(link)):
        destination = pdfium.FPDFLink_GetDest(document.raw, link)
        if not destination:
            action = pdfium.FPDFLink_GetAction(link)
            destination = action and pdfium.FPDFAction_GetDest(document.raw, action)
        if destination:
            targets.add(pdfium.FPDFDest_GetDestPageIndex(document.raw, destination) + 1)
    return targets


def _element_type(element) -> str:
    size = pdfium.FPDF_StructElement_GetType(element, None, 0)
    buffer = ctypes.create_string_buffer(size)
    pdfium.FPDF_StructElement_GetType(element, buffer, size)
    return buffer.raw.decode("utf-16-le").rstrip("\x00")


def _content_types(element, above: tuple[str, ...], types: dict[int, frozenset[str]]) -> None:
    """Marked content id → the structure types it sits in, for `element` and below it."""
    path = (*above, _element_type(element))
    for index in range(pdfium.FPDF_StructElement_GetMarkedContentIdCount(element)):
        types[pdfium.FPDF_StructElement_GetMarkedContentIdAtIndex(element, index)] = frozenset(path)
    for index in range(pdfium.FPDF_StructElement_CountChildren(element)):
        child = pdfium.FPDF_StructElement_GetChildAtIndex(element, index)
        if child:
            _content_types(child, path, types)


def _object_text(item: pypdfium2.PdfObject, textpage: pypdfium2.PdfTextPage) -> str:
    size = pdfium.FPDFTextObj_GetText(item.raw, textpage.raw, None, 0)
    buffer = (ctypes.c_ushort * (size // 2 + 1))()
    pdfium.FPDFTextObj_GetText(item.raw, textpage.raw, buffer, size)
    return bytes(buffer)[:size].decode("utf-16-le").rstrip("\x00")


def _on(page: pypdfium2.PdfPage, item: pypdfium2.PdfObject) -> bool:
    """Whether a text lies on the page: one drawn past its edge is in the file, but no
    reader sees it (a chart taller than the page)."""
    left, bottom, right, top = item.get_bounds()
    width, height = page.get_size()
    return left >= 0 and bottom >= 0 and right <= width and top <= height


def tagged_texts(content: bytes) -> list[list[tuple[frozenset[str], str]]]:
    """For each page, each text on it with the structure types the tags put it in ("H2",
    "Figure", "Table"…); none for what the tags leave out (the running header and footer,
    which a screen reader skips)."""
    pages = []
    with opened(content) as document:
        for page in document:
            tree = pdfium.FPDF_StructTree_GetForPage(page.raw)
            types: dict[int, frozenset[str]] = {}
            for index in range(pdfium.FPDF_StructTree_CountChildren(tree)):
                _content_types(pdfium.FPDF_StructTree_GetChildAtIndex(tree, index), (), types)
            pdfium.FPDF_StructTree_Close(tree)
            textpage = page.get_textpage()
            pages.append(
                [
                    (
                        types.get(pdfium.FPDFPageObj_GetMarkedContentID(item.raw), frozenset()),
                        _object_text(item, textpage),
                    )
                    for item in page.get_objects(max_depth=8)
                    if item.type == pdfium.FPDF_PAGEOBJ_TEXT and _on(page, item)
                ]
            )
    return pages


def text_kinds(content: bytes) -> list[Counter]:
    """For each page, how many of its texts the tags put in a heading ("heading"), in
    anything else ("body"), or in nothing ("artifact")."""
    return [
        Counter(
            "artifact" if not types else "heading" if types & HEADINGS else "body"
            for types, _ in page
        )
        for page in tagged_texts(content)
    ]


def figure_text(content: bytes) -> str:
    """The text drawn inside the figures (the charts) of all pages, without white space:
    WeasyPrint draws an SVG's text a glyph at a time, so where a word ends is not kept."""
    texts = [text for page in tagged_texts(content) for types, text in page if "Figure" in types]
    return unspaced("".join(texts))


def unspaced(text: str) -> str:
    return "".join(text.split())


def catalog(content: bytes) -> dict[str, object]:
    """What the document says of itself: tagged (/MarkInfo /Marked true with a structure
    tree), its language and its title."""
    with opened(content) as document:
        size = pdfium.FPDFCatalog_GetLanguage(document.raw, None, 0)
        buffer = (ctypes.c_ushort * (size // 2 + 1))()
        pdfium.FPDFCatalog_GetLanguage(document.raw, buffer, size)
        return {
            "tagged": bool(pdfium.FPDFCatalog_IsTagged(document.raw)),
            "language": bytes(buffer)[:size].decode("utf-16-le").rstrip("\x00"),
            "title": document.get_metadata_value("Title"),
        }
