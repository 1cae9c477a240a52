"""DRF pagination whose parameters are read like every other (core.params): ``?limit=abc`` is a 400, not ignored."""

from __future__ import annotations

from rest_framework import pagination
from rest_framework_gis.pagination import GeoJsonPagination

from core import params as typed


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    def get_limit(self, request):
        limit = typed.integer(request.query_params, self.limit_query_param, self.default_limit, low=1)
        return min(limit, self.max_limit) if self.max_limit else limit

    def get_offset(self, request):
        return typed.integer(request.query_params, self.offset_query_param, 0, low=0)


class GeoJsonPagePagination(GeoJsonPagination):
    """GeoJSON pages (``?page=``, ``?page_size=`` up to ``max_page_size``)."""

    def get_page_size(self, request):
        size = typed.integer(request.query_params, self.page_size_query_param, self.page_size, low=1)
        return min(size, self.max_page_size) if self.max_page_size else size

    def get_page_number(self, request, paginator):
        page = typed.text(request.query_params, self.page_query_param, "1")
        if page in self.last_page_strings:
            return page
        return typed.integer(request.query_params, self.page_query_param, 1, low=1)
