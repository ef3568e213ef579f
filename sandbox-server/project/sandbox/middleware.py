import logging
import time

log = logging.getLogger("sandbox.access")


class AccessLogMiddleware:
    """One line per request in the server log (waitress writes no access log)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        response = self.get_response(request)
        log.info(
            "%s %s -> %s (%.1f ms)",
            request.method,
            request.get_full_path(),
            response.status_code,
            (time.monotonic() - started) * 1000,
        )
        return response
