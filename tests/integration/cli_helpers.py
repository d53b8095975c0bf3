"""Running `allora` against a test shop's database: in-process with click's `CliRunner` (on a
worker thread, since the command runs its own event loop) or as a real subprocess."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from click.testing import CliRunner

from allora.entrypoints.cli import main
from tests.integration.conftest import Shop

ALLORA = Path(sys.executable).parent / "allora"
ADMIN_EMAIL, MEMBER_EMAIL = "boss@example.com", "member@example.com"


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        assert self.code == 0, self.stderr
        return json.loads(self.stdout)

    def refused(self) -> str:
        """The one-line error of a refusal, after checking its shape."""
        assert self.code == 1, (self.stdout, self.stderr)
        assert self.stdout == ""
        [line] = self.stderr.splitlines()
        assert line.startswith("error: ")
        return line


@dataclass
class Cli:
    """The shop's founding ADMIN and a USER signed in over HTTP, and `allora` on its database."""

    shop: Shop
    admin: httpx.AsyncClient
    member: httpx.AsyncClient

    @classmethod
    async def on(cls, shop: Shop) -> Cli:
        admin = await shop.signed_up("boss", email=ADMIN_EMAIL)
        member = await shop.signed_up("member", email=MEMBER_EMAIL)
        return cls(shop, admin, member)

    @property
    def env(self) -> dict[str, str]:
        settings = self.shop.settings
        return {
            "ALLORA_DATABASE_URL": settings.database_url,
            "ALLORA_SECRET_KEY": settings.secret_key,
            "ALLORA_VAR_DIR": str(settings.var_dir),
            "ALLORA_MEDIA_DIR": str(settings.media_dir),
            "ALLORA_ENV": "test",
        }

    async def run(self, *args: str) -> Outcome:
        """`allora ARGS` in this process."""
        result = await asyncio.to_thread(CliRunner().invoke, main, list(args), env=self.env)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Outcome(result.exit_code, result.stdout, result.stderr)

    async def admin_run(self, *args: str) -> Outcome:
        return await self.run(*args, "--as", ADMIN_EMAIL)

    async def member_run(self, *args: str) -> Outcome:
        return await self.run(*args, "--as", MEMBER_EMAIL)

    async def subprocess(self, *args: str) -> Outcome:
        """`.venv/bin/allora ARGS`, a real process, as an operator runs it."""
        process = await asyncio.create_subprocess_exec(
            str(ALLORA),
            *args,
            env={**os.environ, **self.env},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await process.communicate()
        assert process.returncode is not None
        return Outcome(process.returncode, out.decode(), err.decode())
