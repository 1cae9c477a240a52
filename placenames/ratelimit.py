"""The public consultation's rate limit is the project's one (core.ratelimit)."""

from core.ratelimit import TooManyRequests, hit

__all__ = ["TooManyRequests", "hit"]
