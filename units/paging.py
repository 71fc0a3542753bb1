"""The paginator of every list page: its row count is a summary kept until the records change."""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

from .freshness import ALL_UNITS, queryset_key, remember


class CountCachedPaginator(Paginator):
    """A Paginator whose `COUNT(*)` is cached per query until the units it lists change (units.freshness):
    paging through a list, sorting it or coming back to it counts once. At 1,000,000 people the count of
    the whole registry is the one query of the list that grows with the data. `units`: the subtrees the
    list shows (`scope_units(get_scope(user))`); by default the whole tree (any change counts again)."""

    def __init__(self, object_list, per_page, *args, count=None, units=ALL_UNITS, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.units = units
        if count is not None:  # known without counting the rows (people.selectors.people_count_in_scope)
            self.__dict__["count"] = count

    @cached_property
    def count(self):
        object_list = self.object_list
        if isinstance(object_list, QuerySet):
            return remember(("count", *queryset_key(object_list.order_by())), object_list.count, units=self.units)
        return Paginator.count.func(self)
