from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """20 a page by default; `page_size` up to 100, so one request's work stays bounded."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
