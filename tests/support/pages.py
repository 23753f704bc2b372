"""Following pages as a person does, through Django's test client: a link by the words it
shows, a form by its button's words, a field by its label. A test written this way fails
when the words a person is told to look for (in README.md, say) are not on the page."""

import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urljoin

from django.test import Client

SPACES = re.compile(r"\s+")


def words(text: str) -> str:
    return SPACES.sub(" ", unescape(text)).strip()


@dataclass
class _Control:
    tag: str
    attrs: dict[str, str]
    options: list[tuple[str, str, bool]] = field(default_factory=list)  # value, label, selected
    text: str = ""


@dataclass
class _Form:
    action: str
    method: str
    controls: list[_Control] = field(default_factory=list)
    buttons: list[_Control] = field(default_factory=list)


class _Reader(HTMLParser):
    """The links, forms (with their controls and buttons) and labels of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []  # (words, href)
        self.forms: list[_Form] = []
        self.labels: dict[str, str] = {}  # words → the id of the control it labels
        self._open: list[tuple[str, dict[str, str], list[str]]] = []  # a, label, button, option…
        self._select: _Control | None = None

    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        attrs = {name: value or "" for name, value in attr_list}
        if tag == "form":
            self.forms.append(_Form(attrs.get("action", ""), attrs.get("method", "get").lower()))
        elif tag in ("a", "label", "button", "option", "textarea"):
            self._open.append((tag, attrs, []))
        elif tag == "select" and self.forms:
            self._select = _Control("select", attrs)
            self.forms[-1].controls.append(self._select)
        elif tag == "input" and self.forms:
            control = _Control("input", attrs)
            kind = attrs.get("type", "text")
            target = self.forms[-1].buttons if kind == "submit" else self.forms[-1].controls
            control.text = attrs.get("value", "")
            target.append(control)

    def handle_data(self, data: str) -> None:
        for _, _, texts in self._open:
            texts.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        if not self._open or self._open[-1][0] != tag:
            return
        _, attrs, texts = self._open.pop()
        text = words("".join(texts))
        if tag == "a" and "href" in attrs:
            self.links.append((text, attrs["href"]))
        elif tag == "label" and "for" in attrs:
            self.labels[text] = attrs["for"]
        elif tag == "button" and self.forms:
            self.forms[-1].buttons.append(_Control("button", attrs, text=text))
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", text)
            self._select.options.append((value, text, "selected" in attrs))
        elif tag == "textarea" and self.forms:
            self.forms[-1].controls.append(_Control("textarea", attrs, text="".join(texts)))


class Page:
    def __init__(self, client: Client, response, url: str) -> None:
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        self.client, self.url = client, url
        self.html = response.content.decode()
        self.text = words(re.sub(r"<[^>]+>", " ", self.html))
        self._reader = _Reader()
        self._reader.feed(self.html)

    @classmethod
    def open(cls, client: Client, url: str) -> "Page":
        response = client.get(url, follow=True)
        return cls(client, response, response.request["PATH_INFO"])

    def follow(self, link_words: str) -> "Page":
        """Open the link that shows these words (its whole text)."""
        hrefs = [href for text, href in self._reader.links if text == link_words]
        assert hrefs, f"no link “{link_words}” on {self.url}: {self._reader.links}"
        return Page.open(self.client, urljoin(self.url, hrefs[0]))

    def form(self, button_words: str) -> "Filling":
        """The form sent by the button that shows these words."""
        for form in self._reader.forms:
            for button in form.buttons:
                if button.text == button_words:
                    return Filling(self, form, button)
        buttons = [b.text for f in self._reader.forms for b in f.buttons]
        raise AssertionError(f"no button “{button_words}” on {self.url}: {buttons}")

    def control_id(self, label_words: str) -> str:
        """The id of the control whose label starts with these words."""
        for text, control_id in self._reader.labels.items():
            if text.startswith(label_words):
                return control_id
        raise AssertionError(f"no label “{label_words}” on {self.url}: {list(self._reader.labels)}")


class Filling:
    """A form being filled in: what it would send as the page stands, then changes."""

    def __init__(self, page: Page, form: _Form, button: _Control) -> None:
        self.page, self.form_, self.button = page, form, button
        self.data: dict[str, list[str]] = {}
        self.files: dict[str, object] = {}
        for control in form.controls:
            self._default(control)

    def _default(self, control: _Control) -> None:
        name = control.attrs.get("name")
        if not name:
            return
        if control.tag == "select":
            chosen = [value for value, _, selected in control.options if selected]
            self.data.setdefault(name, []).extend(chosen or [control.options[0][0]])
        elif control.tag == "textarea":
            self.data.setdefault(name, []).append(control.text)
        elif control.attrs.get("type") in ("checkbox", "radio"):
            if "checked" in control.attrs:
                self.data.setdefault(name, []).append(control.attrs.get("value", "on"))
        elif control.attrs.get("type") != "file":
            self.data.setdefault(name, []).append(control.attrs.get("value", ""))

    def _control(self, label_words: str) -> _Control:
        control_id = self.page.control_id(label_words)
        for control in self.form_.controls:
            if control.attrs.get("id") == control_id:
                return control
        raise AssertionError(f"“{label_words}” labels nothing in this form")

    def fill(self, label_words: str, value: str) -> "Filling":
        control = self._control(label_words)
        self.data[control.attrs["name"]] = [value]
        return self

    def choose(self, label_words: str, option_words: str) -> "Filling":
        control = self._control(label_words)
        values = [value for value, text, _ in control.options if text == option_words]
        assert values, f"no option “{option_words}” for “{label_words}”: {control.options}"
        self.data[control.attrs["name"]] = values[:1]
        return self

    def tick(self, label_words: str) -> "Filling":
        control = self._control(label_words)
        self.data.setdefault(control.attrs["name"], []).append(control.attrs.get("value", "on"))
        return self

    def attach(self, label_words: str, upload: object) -> "Filling":
        self.files[self._control(label_words).attrs["name"]] = upload
        return self

    def send(self) -> Page:
        data: dict[str, object] = {**self.data, **self.files}
        name = self.button.attrs.get("name")
        if name:
            data[name] = self.button.attrs.get("value", "")
        action = urljoin(self.page.url, self.form_.action or self.page.url)
        response = self.page.client.post(action, data, follow=True)
        return Page(self.page.client, response, response.request["PATH_INFO"])
