"""The password hasher of the test suite: the product's PBKDF2-SHA256 at one iteration instead of a million.

Each hash at the product's count costs about half a second of CPU, and the suite makes and checks passwords for
thousands of users and logins. The stored form stays the product's (``pbkdf2_sha256$<iterations>$...``, the count
in it), so a server a test starts in another process, with the product's settings, reads these passwords too, and
this hasher reads the product's own hashes."""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class OneIterationPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 1
