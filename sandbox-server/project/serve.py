"""Serve the sandbox with waitress on 127.0.0.1 only; write/remove the PID file.

Environment: SANDBOX_PORT (default 8765), SANDBOX_PIDFILE (optional),
SANDBOX_THREADS (default 8)."""
import os
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sandbox.settings")

HOST = "127.0.0.1"  # never anything else
PORT = int(os.environ.get("SANDBOX_PORT", "8765"))
PIDFILE = os.environ.get("SANDBOX_PIDFILE")


def _remove_pidfile():
    if not PIDFILE:
        return
    try:
        with open(PIDFILE) as fh:
            if fh.read().strip() != str(os.getpid()):
                return
        os.unlink(PIDFILE)
    except OSError:
        pass


def _stop(signum, frame):
    _remove_pidfile()
    sys.stderr.write("sandbox: received signal {}, exiting\n".format(signum))
    sys.stderr.flush()
    os._exit(0)


def main():
    from django.core.wsgi import get_wsgi_application
    from waitress import serve

    application = get_wsgi_application()
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    if PIDFILE:
        tmp = PIDFILE + ".tmp"
        with open(tmp, "w") as fh:
            fh.write(str(os.getpid()))
        os.replace(tmp, PIDFILE)
    try:
        serve(
            application,
            host=HOST,
            port=PORT,
            threads=int(os.environ.get("SANDBOX_THREADS", "8")),
            ident="waitress",
        )
    finally:
        _remove_pidfile()


if __name__ == "__main__":
    main()
