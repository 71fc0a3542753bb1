"""Vietnamese unless the user chose otherwise: the language comes from the switch's cookie, not the browser."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class PortalLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        translation.activate(chosen if chosen in supported else settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
