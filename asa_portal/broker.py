"""The no-server broker for development: kombu's filesystem transport, with a worker
that stops as soon as it is asked to.

Celery's worker polls a transport like this one through `drain_events(timeout=2.0)`,
and after Ctrl-C it drains once more before it stops. kombu's loop sleeps out each
timeout, so a warm shutdown took up to five seconds, which is when honcho (scripts/run)
kills what is still running. This transport polls in steps of `polling_interval` and
returns as soon as the worker has been asked to stop.
"""

from time import monotonic

from celery.worker import state
from kombu.transport import filesystem


def worker_is_stopping() -> bool:
    """As celery.worker.state.maybe_shutdown reads its flags: an exit code, 0 included."""
    return any(
        flag is not None and flag is not False
        for flag in (state.should_stop, state.should_terminate)
    )


class Transport(filesystem.Transport):
    @property
    def default_connection_params(self) -> dict:
        # Folders need no host. kombu's virtual transports name localhost here, and then
        # log a warning, in every process, that no hostname was supplied.
        return {}

    def drain_events(self, connection, timeout=None):
        deadline = None if timeout is None else monotonic() + timeout
        while True:
            if worker_is_stopping():
                raise TimeoutError()
            step = self.polling_interval
            if deadline is not None:
                step = min(step, max(deadline - monotonic(), 0))
            try:
                return super().drain_events(connection, timeout=step)
            except TimeoutError:
                if deadline is not None and monotonic() >= deadline:
                    raise
