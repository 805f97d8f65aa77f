"""A stand-in for a LibreTranslate server, on loopback: POST /translate as LibreTranslate's HTTP
API answers it (https://libretranslate.com/docs/), with a small French→English glossary.

It keeps every request it got, so tests can check what the site sent (source, target, key).
"""

import json
import re
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

GLOSSARY = {
    "atelier": "workshop",
    "ateliers": "workshops",
    "numérique": "digital",
    "pour": "for",
    "tous": "everyone",
    "les": "the",
    "le": "the",
    "la": "the",
    "de": "of",
    "des": "of the",
    "et": "and",
    "un": "a",
    "une": "a",
    "à": "in",
    "chapô": "standfirst",
    "paragraphe": "paragraph",
    "texte": "text",
    "article": "article",
    "médiation": "mediation",
}
WORD = re.compile(r"(<[^>]+>)|(\w+)", re.UNICODE)


def translate(text):
    def replace(match):
        if match.group(1):
            return match.group(1)  # an HTML tag: kept as is ("format": "html")
        word = match.group(2)
        english = GLOSSARY.get(word.lower(), word)
        return english.capitalize() if word[:1].isupper() else english

    return WORD.sub(replace, text)


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        if self.path != "/translate":
            self.send_error(404)
            return
        length = int(self.headers.get("Content-Length") or 0)
        try:
            payload = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            self.reply(400, {"error": "Invalid request: JSON body expected"})
            return
        self.server.requests.append(payload)
        if self.server.api_key and payload.get("api_key") != self.server.api_key:
            self.reply(403, {"error": "Invalid API key"})
            return
        texts = payload.get("q")
        if isinstance(texts, str):
            self.reply(200, {"translatedText": translate(texts)})
        else:
            self.reply(200, {"translatedText": [translate(text) for text in texts or []]})

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        pass


@contextmanager
def libretranslate_standin(api_key=""):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.requests = []
    server.api_key = api_key
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        server.url = f"http://127.0.0.1:{server.server_address[1]}"
        yield server
    finally:
        server.shutdown()
        server.server_close()


def translator_setting(server, api_key=""):
    return {
        "CLASS": "wagtail_localize.machine_translators.libretranslate.LibreTranslator",
        "OPTIONS": {"LIBRETRANSLATE_URL": server.url, "API_KEY": api_key, "TIMEOUT": 5},
    }
