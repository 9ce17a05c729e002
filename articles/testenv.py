"""Environment for the test suite, loaded as a pytest plugin (`-p articles.testenv` in
pyproject.toml) so it is in place before pytest-django imports the settings.

Settings stay production-like (DEBUG off); only what plain-http testing needs is relaxed.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("WHITENOISE_USE_FINDERS", "1")
os.environ.setdefault("STATIC_MANIFEST", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
