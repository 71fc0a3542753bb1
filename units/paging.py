"""The paginator of every list page: its row count is a summary kept until the records change."""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

from .freshness import queryset_key, remember


class CountCachedPaginator(Paginator):
    """A Paginator whose `COUNT(*)` is cached per query until the next committed write (units.freshness):
    paging through a list, sorting it or coming back to it counts once. At 1,000,000 people the count of
    the whole registry is the one query of the list that grows with the data."""

    def __init__(self, object_list, per_page, *args, count=None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        if count is not None:  # known without counting the rows (people.selectors.people_count_in_scope)
            self.__dict__["count"] = count

    @cached_property
    def count(self):
        object_list = self.object_list
        if isinstance(object_list, QuerySet):
            return remember(("count", *queryset_key(object_list.order_by())), object_list.count)
        return Paginator.count.func(self)
