"""Read the forms of a rendered page as a browser would submit them (for the input tests)."""

from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form = None
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {
                "method": (attrs.get("method") or "get").lower(),
                "action": attrs.get("action"),
                "fields": {},
                "types": {},
            }
            self.forms.append(self._form)
        if tag == "option" and self._form is not None and self._select:
            current = self._form["fields"].get(self._select)
            if (current is None or "selected" in attrs) and attrs.get("value", "") != "":
                self._form["fields"][self._select] = attrs.get("value", "")
            return
        if self._form is None or "name" not in attrs:
            return
        name = attrs["name"]
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            self._form["types"][name] = kind
            if kind in ("checkbox", "radio"):
                if "checked" in attrs or name not in self._form["fields"]:
                    self._form["fields"][name] = attrs.get("value", "on")
            elif kind not in ("submit", "button", "file"):
                self._form["fields"][name] = attrs.get("value") or ""
        elif tag == "textarea":
            self._textarea = name
            self._form["fields"][name] = ""
            self._form["types"][name] = "textarea"
        elif tag == "select":
            self._select = name
            self._form["fields"][name] = None
            self._form["types"][name] = "select"

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form["fields"][self._textarea] += data


def post_forms(html: str) -> list[dict]:
    """The page's POST forms: method, action (None: the page itself), fields and their types."""
    parser = _Forms()
    parser.feed(html)
    forms = [f for f in parser.forms if f["method"] == "post"]
    for form in forms:
        form["fields"] = {k: ("" if v is None else v) for k, v in form["fields"].items()}
    return forms
