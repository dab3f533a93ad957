"""The one way the portal reads its configuration: the environment, then a `.env` file
beside manage.py (the environment wins). Settings and scripts/run read through `env`.

environs keeps what it reads from `.env` in its own store, not in os.environ: anything
that read os.environ directly would miss a value written in `.env` (EMAIL_URL once did,
and every email went to var/mail/ while the delivery log said "sent").
"""

from pathlib import Path

from environs import Env

BASE_DIR = Path(__file__).resolve().parent.parent

env = Env()
env.read_env(BASE_DIR / ".env", recurse=False)
