"""Where scripts/run serves: PORT, HOST and SITE_URL read as the portal reads every
setting (the environment, then .env), printed one a line. Refuses a port that is not a
number or that another program uses, and records the port in var/run.lock (run_lock.py),
so that a second run of this checkout can name it."""

import socket
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from run_lock import record_port  # noqa: E402

from asa_portal.environment import env  # noqa: E402


def free(host: str, port: int) -> bool:
    family, kind, protocol, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    with socket.socket(family, kind, protocol) as candidate:
        candidate.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            candidate.bind(address)
        except OSError:
            return False
    return True


def main() -> None:
    port_text = env.str("PORT", default="8000")
    host = env.str("HOST", default="127.0.0.1")
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        sys.exit(f"PORT must be a number from 1 to 65535, not {port_text!r}.")
    port = int(port_text)
    if not free(host, port):
        other = next((p for p in range(port + 1, min(port + 100, 65536)) if free(host, p)), None)
        advice = f"\n\n    PORT={other} scripts/run\n" if other else ""
        # Not this checkout's portal: run_lock.py would have refused a second run of it.
        sys.exit(
            f"Port {port} on {host} is already in use by another program (not this "
            "checkout's portal, which would have been named), so the portal cannot start "
            f"there.\nStop what uses it, or choose another port with PORT=...{advice}"
        )
    record_port(str(port))
    site_url = env.str("SITE_URL", default=f"http://127.0.0.1:{port}")
    print(port, host, site_url, sep="\n")


if __name__ == "__main__":
    main()
