"""Media on S3-compatible storage: public images, private documents (docs/deployment.md).

``MediaStorage`` is the default storage when ``AWS_STORAGE_BUCKET_NAME`` is set. It keeps two
django-storages ``S3Storage`` back ends and picks one by the file's name:

- names under ``documents/`` (Wagtail's documents) go to the private bucket
  (``AWS_PRIVATE_BUCKET_NAME``; the same bucket if unset). Its URLs are signed and short-lived
  (``AWS_QUERYSTRING_EXPIRE``), and the site serves documents through Django anyway
  (``WAGTAILDOCS_SERVE_METHOD = "serve_view"``), which applies collection privacy;
- everything else (original images, renditions) goes to the public bucket, with plain URLs
  (or the CDN's ``AWS_S3_CUSTOM_DOMAIN``).
"""

from django.core.files.storage import Storage
from django.utils.deconstruct import deconstructible
from storages.backends.s3 import S3Storage

PRIVATE_PREFIXES = ("documents/",)


def is_private(name):
    return (name or "").replace("\\", "/").lstrip("/").startswith(PRIVATE_PREFIXES)


@deconstructible
class MediaStorage(Storage):
    def __init__(self, public=None, private=None):
        self.public_options = dict(public or {})
        self.private_options = dict(private or self.public_options)
        self.public = S3Storage(**self.public_options)
        self.private = S3Storage(**self.private_options)

    def backend(self, name):
        return self.private if is_private(name) else self.public

    # Storage API: every call goes to the back end that holds the name.
    def _open(self, name, mode="rb"):
        return self.backend(name)._open(name, mode)

    def _save(self, name, content):
        return self.backend(name)._save(name, content)

    def get_valid_name(self, name):
        return self.public.get_valid_name(name)

    def generate_filename(self, filename):
        return self.backend(filename).generate_filename(filename)

    def get_available_name(self, name, max_length=None):
        return self.backend(name).get_available_name(name, max_length=max_length)

    def delete(self, name):
        return self.backend(name).delete(name)

    def exists(self, name):
        return self.backend(name).exists(name)

    def size(self, name):
        return self.backend(name).size(name)

    def url(self, name):
        return self.backend(name).url(name)

    def get_modified_time(self, name):
        return self.backend(name).get_modified_time(name)

    def get_created_time(self, name):
        return self.backend(name).get_created_time(name)

    def get_accessed_time(self, name):
        return self.backend(name).get_accessed_time(name)

    def listdir(self, path):
        """Folders and files under ``path``, from both buckets (each name once)."""
        path = (path or "").strip("/")
        backends = [self.private] if is_private(path + "/") else [self.public]
        if not path or not is_private(path + "/"):
            backends = [self.public, self.private]
        dirs, files = set(), set()
        for backend in backends:
            found_dirs, found_files = backend.listdir(path)
            for folder in found_dirs:
                full = f"{path}/{folder}" if path else folder
                if (backend is self.private) == is_private(full + "/"):
                    dirs.add(folder)
            for file in found_files:
                full = f"{path}/{file}" if path else file
                if (backend is self.private) == is_private(full):
                    files.add(file)
        return sorted(dirs), sorted(files)
